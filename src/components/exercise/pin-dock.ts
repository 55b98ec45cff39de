/**
 * Where a pinned exercise goes so that it never covers its widget's rows (where the slice being asked for
 * is): at the bottom of the viewport while there is room below the widget, else at the top (under
 * Starlight's header) when there is more room above it, its height capped to that room. The whole widget
 * (toolbar, rows, details; both widgets of a compare exercise) is kept clear when it can be; else its rows
 * and details panel (where a selected slice's args and grid are read); otherwise at least its rows.
 *
 * The card stays in the page's flow either way (sticky at the bottom, moved up by a transform for `top`),
 * with a spacer making up its unpinned height (Exercise.svelte): nothing after it moves as it pins or unpins.
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
  // The rows and the details panel under them (where the learner reads a slice's args and grid).
  const details = around(
    widgets.map((w) => {
      const body = (w.querySelector('.tw-body') ?? w).getBoundingClientRect();
      const panels = w.querySelector('.tw-panels')?.getBoundingClientRect();
      return panels && panels.height > 0 ? new DOMRect(body.left, body.top, body.width, Math.max(body.bottom, panels.bottom) - body.top) : body;
    }),
  );
  for (const box of [around(widgets.map((w) => w.getBoundingClientRect())), details, rows]) {
    const { below, above } = rooms(box);
    if (below >= want) return at('bottom', below);
    if (above >= want) return at('top', above);
  }
  // Neither side holds the whole card: the side with more room around the rows, the card shrunk to it.
  const { below, above } = rooms(rows);
  return below >= above || above < MIN_PX ? at('bottom', below) : at('top', above);
}
