/**
 * Where a pinned exercise goes so that it never covers its widget's rows (where the slice being asked for
 * is): at the bottom of the viewport while there is room below the widget, else at the top (under
 * Starlight's header) when there is more room above it, its height capped to that room. The whole widget
 * (toolbar, rows, details; both widgets of a compare exercise) is kept clear when it can be; otherwise at
 * least its rows.
 *
 * The card stays in the page's flow either way (sticky at the bottom, moved up by a transform for `top`):
 * taking it out of the flow would shift everything after it, the widgets of later sections included.
 */
export interface Dock {
  side: 'bottom' | 'top';
  /** Height cap of the pinned card, CSS px. */
  maxPx: number;
  /** For `top`: where the card's top edge goes (CSS px from the viewport's top). */
  topPx: number;
}

const GAP = 8;
/** Enough for the title, one line and the Check button. */
const MIN_PX = 104;

/** The smallest box around several (the two widgets of a compare exercise). */
function around(boxes: DOMRect[]): DOMRect {
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  return new DOMRect(boxes[0].left, top, boxes[0].width, bottom - top);
}

export function dockFor(widgets: Element[], section: HTMLElement): Dock {
  const vh = innerHeight;
  const header = document.querySelector('header.header')?.getBoundingClientRect().bottom ?? 0;
  // A side is taken when it holds the card at 28 % of the viewport (or its whole height, if less); the card may
  // then grow to 40 % where that side has the room (a measure's answer row then shows whole).
  const cap = 0.4 * vh;
  const want = Math.min(section.scrollHeight, 0.28 * vh);
  const at = (side: Dock['side'], room: number): Dock => ({
    side,
    maxPx: Math.round(Math.max(MIN_PX, Math.min(cap, room))),
    topPx: Math.round(header + GAP),
  });
  const rooms = (box: DOMRect) => ({
    below: vh - GAP - Math.max(box.bottom + GAP, header),
    above: Math.min(box.top, vh) - GAP - header - GAP,
  });
  const rows = around(widgets.map((w) => (w.querySelector('.tw-body') ?? w).getBoundingClientRect()));
  for (const box of [around(widgets.map((w) => w.getBoundingClientRect())), rows]) {
    const { below, above } = rooms(box);
    if (below >= want) return at('bottom', below);
    if (above >= want) return at('top', above);
  }
  // Neither side holds the whole card: the side with more room around the rows, the card shrunk to it.
  const { below, above } = rooms(rows);
  return below >= above || above < MIN_PX ? at('bottom', below) : at('top', above);
}
