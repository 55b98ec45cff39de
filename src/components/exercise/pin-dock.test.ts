import { describe, expect, it } from 'vitest';
import { cardSpan, placeDock, type DockInput, type Span } from './pin-dock.ts';

// 1280×800 with Starlight's header 64 px tall; a card of 300 px unpinned (it wants 28 % of 800 = 224 px).
const base = { vh: 800, header: 64, cardPx: 300, cardX: { left: 300, right: 1000 } };
const overlaps = (a: Span, b: Span) => a.top < b.bottom - 1 && a.bottom > b.top + 1;
const drawn = (g: DockInput) => {
  const d = placeDock(g);
  expect(d).not.toBeNull();
  return cardSpan(d!, g.cardPx, g.vh);
};

describe('placeDock: the rows and the details panel are kept clear before the rows alone', () => {
  it('details reach low, rows leave room below: the card goes above, clear of the details', () => {
    // The whole widget leaves neither side 224 px; the rows alone would take the bottom, over the details.
    const g = { ...base, widget: { top: 270, bottom: 700 }, rows: { top: 310, bottom: 450 }, details: { top: 310, bottom: 640 } };
    const card = drawn(g);
    expect(overlaps(card, g.details)).toBe(false);
    expect(placeDock(g)!.side).toBe('top');
  });

  it('room below the details: the card is capped to it instead of growing over them', () => {
    const g = { ...base, widget: { top: 60, bottom: 720 }, rows: { top: 100, bottom: 400 }, details: { top: 100, bottom: 500 } };
    const card = drawn(g);
    expect(overlaps(card, g.details)).toBe(false);
    expect(overlaps(card, g.rows)).toBe(false);
  });

  it('a compare pair stacked in the viewport: a smaller card below the lower widget\'s details, not over them', () => {
    // Measured on /en/lessons/gpu-qwen-tp/ at 1280×800 (the TP = 2 pair): rank 1's details panel ends at 618 px,
    // 166 px above the card's bottom margin; neither side has the 224 px the card wants.
    const g = { ...base, cardPx: 420, widget: { top: 66, bottom: 619 }, rows: { top: 205, bottom: 575 }, details: { top: 205, bottom: 618 } };
    const d = placeDock(g)!;
    expect(d.side).toBe('bottom');
    expect(d.maxPx).toBe(800 - 8 - 618 - 8);
    const card = drawn(g);
    expect(overlaps(card, g.details)).toBe(false);
    expect(overlaps(card, g.rows)).toBe(false);
  });

  it('no room around the details: the rows at least stay clear', () => {
    const g = { ...base, widget: { top: 120, bottom: 780 }, rows: { top: 160, bottom: 520 }, details: { top: 160, bottom: 700 } };
    const card = drawn(g);
    expect(overlaps(card, g.rows)).toBe(false);
  });
});

describe('placeDock: a card that appears never appears under the pointer', () => {
  // Room for the card both above and below the widget.
  const g = { ...base, widget: { top: 330, bottom: 550 }, rows: { top: 350, bottom: 530 }, details: { top: 350, bottom: 540 } };

  it('without a pointer it takes the bottom (the room below the widget)', () => {
    expect(placeDock(g)!.side).toBe('bottom');
  });

  it('the pointer where it would appear: another place that covers neither the pointer nor the widget', () => {
    const avoid = { x: 640, y: 700 };
    const d = placeDock({ ...g, avoid });
    expect(d).not.toBeNull();
    const card = cardSpan(d!, g.cardPx, g.vh);
    expect(avoid.y < card.top || avoid.y > card.bottom).toBe(true);
    expect(overlaps(card, g.rows)).toBe(false);
  });

  it('every place beside the rows under the pointer: no place (the card waits)', () => {
    // Rows in the middle, too little room above them for a card: it fits only below, and the pointer is there.
    const mid = { ...base, widget: { top: 150, bottom: 500 }, rows: { top: 170, bottom: 480 }, details: { top: 170, bottom: 490 } };
    const free = placeDock(mid)!;
    expect(free.side).toBe('bottom');
    const card = cardSpan(free, mid.cardPx, mid.vh);
    expect(placeDock({ ...mid, avoid: { x: 640, y: (card.top + card.bottom) / 2 } })).toBeNull();
    // A pointer beside the card (the sidebar) changes nothing.
    expect(placeDock({ ...mid, avoid: { x: 100, y: (card.top + card.bottom) / 2 } })).toEqual(free);
  });
});
