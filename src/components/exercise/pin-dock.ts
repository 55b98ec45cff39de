/**
 * Where a pinned exercise goes so that it never covers its widget's rows (where the slice being asked for
 * is): at the bottom of the viewport while there is room below the widget, else at the top (under
 * Starlight's header) when there is more room above it, its height capped to that room. The whole widget
 * (toolbar, rows, details; both widgets of a compare exercise) is kept clear when it can be; else its rows
 * and details panel (where a selected slice's args and grid are read), by a smaller card if need be (down
 * to MIN_PX); otherwise at least its rows.
 *
 * A card that is not on screen yet never appears under the pointer (the learner is aiming at whatever is
 * there: a slice, the next paragraph's controls): given the pointer, a place whose card would cover it is
 * skipped, and when every place would, there is none (`null`: the card waits until the pointer leaves).
 *
 * The card stays in the page's flow either way (sticky at the bottom, moved up by a transform for `top`),
 * with a spacer making up its unpinned height (Exercise.svelte): nothing after it moves as it pins or unpins.
 *
 * `placeDock` is the geometry alone (viewport numbers in, a dock out: tested in pin-dock.test.ts); `dockFor`
 * reads those numbers off the page.
 */
export interface Dock {
  side: 'bottom' | 'top';
  /** Height cap of the pinned card, CSS px. */
  maxPx: number;
  /** For `top`: where the card's top edge goes (CSS px from the viewport's top). */
  topPx: number;
}

/** A vertical extent in viewport px. */
export interface Span {
  top: number;
  bottom: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface DockInput {
  /** Viewport height. */
  vh: number;
  /** Bottom edge of Starlight's fixed header. */
  header: number;
  /** The card's unpinned height (it is never drawn taller). */
  cardPx: number;
  /** The card's left and right edges (a pointer beside it is not under it). */
  cardX: { left: number; right: number };
  /** The whole widget (or pair), its rows plus details panel, its rows alone: kept clear in this order of preference. */
  widget: Span;
  details: Span;
  rows: Span;
  /** Where the pointer is (a mouse or pen on the page), when the card must not appear under it. */
  avoid?: Point | null;
}

/** The card's bottom margin at the bottom of the viewport, and its gap from the header at the top. */
export const GAP = 8;
/** Enough for the title, one line and the Check button. */
export const MIN_PX = 104;

/** Where the card of height `cardPx` is drawn for `dock` (what the learner sees covered). */
export function cardSpan(dock: Dock, cardPx: number, vh: number): Span {
  const h = Math.min(cardPx, dock.maxPx);
  return dock.side === 'bottom' ? { top: vh - GAP - h, bottom: vh - GAP } : { top: dock.topPx, bottom: dock.topPx + h };
}

export function placeDock(g: DockInput): Dock | null {
  const { vh, header } = g;
  // A side is taken when it holds the card at 28 % of the viewport (or its whole height, if less); the card may
  // then grow to 40 % where that side has the room (a measure's answer row then shows whole).
  const cap = 0.4 * vh;
  const want = Math.min(g.cardPx, 0.28 * vh);
  const at = (side: Dock['side'], room: number): Dock => ({
    side,
    maxPx: Math.round(Math.max(MIN_PX, Math.min(cap, room))),
    topPx: Math.round(header + GAP),
  });
  const p = g.avoid;
  const clearOfPointer = (d: Dock) => {
    if (!p || p.x < g.cardX.left || p.x > g.cardX.right) return true;
    const c = cardSpan(d, g.cardPx, vh);
    return p.y < c.top || p.y > c.bottom;
  };
  const rooms = (box: Span) => ({
    below: vh - GAP - Math.max(box.bottom + GAP, header),
    above: Math.min(box.top, vh) - GAP - header - GAP,
  });
  /** The first side (bottom, then top) with at least `min` px of room beside `box` and clear of the pointer. */
  const beside = (box: Span, min: number): Dock | null => {
    const { below, above } = rooms(box);
    for (const d of [below >= min && at('bottom', below), above >= min && at('top', above)]) if (d && clearOfPointer(d)) return d;
    return null;
  };
  // The card at the height it wants beside the whole widget, else its rows and details, else its rows; failing
  // that, a smaller card (at least MIN_PX) still beside the rows and details, before one over the details (two
  // widgets of a compare exercise stacked in a short viewport: the lower one's details panel stays clear).
  const d = beside(g.widget, want) ?? beside(g.details, want) ?? beside(g.rows, want) ?? beside(g.details, MIN_PX);
  if (d) return d;
  // Neither side holds the whole card: the side with more room around the rows, the card shrunk to it; when
  // that one would be under the pointer, the other side if it has a card's room beside the rows, else none.
  const { below, above } = rooms(g.rows);
  const first = below >= above || above < MIN_PX ? at('bottom', below) : at('top', above);
  if (clearOfPointer(first)) return first;
  const other = first.side === 'bottom' ? at('top', above) : at('bottom', below);
  return (first.side === 'bottom' ? above : below) >= MIN_PX && clearOfPointer(other) ? other : null;
}

/** The smallest span around several (the two widgets of a compare exercise). */
function around(boxes: Span[]): Span {
  return { top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)) };
}

export function dockFor(widgets: Element[], section: HTMLElement, avoid: Point | null = null): Dock | null {
  const rect = (e: Element): Span => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  };
  const bodies = widgets.map((w) => rect(w.querySelector('.tw-body') ?? w));
  const s = section.getBoundingClientRect();
  return placeDock({
    vh: innerHeight,
    header: document.querySelector('header.header')?.getBoundingClientRect().bottom ?? 0,
    cardPx: section.scrollHeight,
    cardX: { left: s.left, right: s.right },
    widget: around(widgets.map(rect)),
    rows: around(bodies),
    // The rows and the details panel under them (where the learner reads a slice's args and grid).
    details: around(
      widgets.map((w, i) => {
        const panels = w.querySelector('.tw-panels')?.getBoundingClientRect();
        return panels && panels.height > 0 ? { top: bodies[i].top, bottom: Math.max(bodies[i].bottom, panels.bottom) } : bodies[i];
      }),
    ),
    avoid,
  });
}
