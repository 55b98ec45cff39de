/**
 * Mouse, wheel and keyboard on the canvas, following Perfetto's conventions:
 * drag pans, ctrl/⌘+wheel (and trackpad pinch) zooms around the cursor,
 * shift+wheel pans, a plain vertical wheel scrolls the rows (and the page at
 * their ends), shift+drag selects an area, a drag on the time axis measures;
 * W/S zoom, A/D pan (held keys animate), F zooms to the selection, 0 fits.
 */
import { AXIS_PX, rowsBetween, type PlacedRow } from './layout.ts';
import { contentTopPx, hitTest, type Hit } from './hit-test.ts';
import { hoverLine } from './slice-info.ts';
import { pxToTime, wheelDeltaPx, wheelZoomFactor } from './viewport.ts';
import type { TimelineView } from './view-state.svelte.ts';
import type { CssPx } from './units.ts';
import { displayText } from '../../lib/trace/display-text.ts';

/** A press that moves less than this is a click. */
const CLICK_SLOP_PX = 4;
/** Held W/S: zoom factor e^(±rate·s); held A/D: widths per second. */
const KEY_ZOOM_RATE = 2.2;
const KEY_PAN_WIDTHS_PER_S = 0.8;

export interface InteractionHooks {
  /** The element that scrolls the rows vertically. */
  scrollElement: () => HTMLElement | null;
  /** Focus the search box (the "/" key). */
  focusSearch: () => void;
}

type Drag =
  | { kind: 'pan'; lastX: CssPx; startX: CssPx; startY: CssPx; moved: boolean }
  | { kind: 'area'; startNs: number; startY: CssPx }
  | { kind: 'ruler'; startNs: number };

function tooltipFor(view: TimelineView, hit: Hit | null, x: CssPx, y: CssPx): TimelineView['tooltip'] {
  if (!hit || !hit.row || !view.model || view.cursorNs === null) return null;
  const src = hit.row.row.source;
  const series = src.kind === 'counter' ? view.counters.get(src.trackId) : undefined;
  if (hit.instant) {
    const name = displayText(view.model.strings[view.model.instants.name[hit.instant.id]] ?? '');
    return { x, y, text: hit.instant.count > 1 ? `${name} … ×${hit.instant.count}` : name };
  }
  const text = hoverLine(view.model, hit.sliceId, series ? { label: hit.row.row.label, ...series } : null, view.cursorNs);
  return text ? { x, y, text } : null;
}

function pxSpan(view: TimelineView, aNs: number, bNs: number): CssPx {
  return (Math.abs(bNs - aNs) * view.widthPx) / (view.viewport.endNs - view.viewport.startNs);
}

function localPoint(el: HTMLElement, e: MouseEvent): [CssPx, CssPx] {
  const r = el.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}

/** Row keys between two canvas y positions, pinned rows included. */
function rowKeysBetween(view: TimelineView, y0: CssPx, y1: CssPx): string[] {
  const a = Math.min(y0, y1);
  const b = Math.max(y0, y1);
  const layout = view.layout;
  const top = contentTopPx(layout);
  const keys: string[] = [];
  const add = (rows: PlacedRow[]) => rows.forEach((r) => keys.push(r.row.key));
  add(rowsBetween(layout.pinned, a - AXIS_PX, b - AXIS_PX));
  if (b > top) add(rowsBetween(layout.rows, Math.max(a, top) - top + view.scrollTopPx, b - top + view.scrollTopPx));
  return keys;
}

export function attachInteraction(el: HTMLElement, view: TimelineView, hooks: InteractionHooks): () => void {
  let drag: Drag | null = null;
  let pointerX: CssPx | null = null;
  const held = new Set<string>();
  let animating = false;
  let lastTick = 0;

  const frameOf = () => (view.lod ? { layout: view.layout, scrollTopPx: view.scrollTopPx, viewport: view.viewport, lod: view.lod, instants: view.instantLod ?? undefined } : null);

  function onPointerDown(e: PointerEvent) {
    if (e.button !== 0 || !view.model) return;
    view.tooltip = null;
    const [x, y] = localPoint(el, e);
    el.setPointerCapture(e.pointerId);
    const t = pxToTime(view.viewport, x);
    if (y < AXIS_PX || view.dragMode === 'ruler') {
      drag = { kind: 'ruler', startNs: t };
      view.ruler = { startNs: t, endNs: t };
    } else if (e.shiftKey || view.dragMode === 'area') {
      drag = { kind: 'area', startNs: t, startY: y };
    } else {
      drag = { kind: 'pan', lastX: x, startX: x, startY: y, moved: false };
    }
  }

  function onPointerMove(e: PointerEvent) {
    const [x, y] = localPoint(el, e);
    pointerX = x;
    view.cursorNs = view.model ? pxToTime(view.viewport, x) : null;
    if (!drag) {
      const f = frameOf();
      const hit = f ? hitTest(f, x, y) : null;
      view.hoverSlice = hit ? hit.sliceId : -1;
      view.tooltip = tooltipFor(view, hit, x, y);
      el.style.cursor = hit && (hit.sliceId >= 0 || hit.instant) ? 'pointer' : y < AXIS_PX ? 'col-resize' : view.dragMode === 'pan' ? 'grab' : 'crosshair';
      return;
    }
    const t = pxToTime(view.viewport, x);
    if (drag.kind === 'pan') {
      if (Math.abs(x - drag.startX) + Math.abs(y - drag.startY) > CLICK_SLOP_PX) drag.moved = true;
      if (drag.moved) {
        view.panPx(drag.lastX - x);
        drag.lastX = x;
        el.style.cursor = 'grabbing';
      }
    } else if (drag.kind === 'ruler') {
      view.ruler = { startNs: drag.startNs, endNs: t };
    } else {
      // Live feedback without reporting every intermediate range to the exercise.
      view.selection = { kind: 'range', startNs: Math.min(drag.startNs, t), endNs: Math.max(drag.startNs, t), rowKeys: rowKeysBetween(view, drag.startY, y) };
    }
  }

  function onPointerUp(e: PointerEvent) {
    if (!drag) return;
    const [x, y] = localPoint(el, e);
    const d = drag;
    drag = null;
    el.releasePointerCapture(e.pointerId);
    if (d.kind === 'pan' && !d.moved) {
      const f = frameOf();
      const hit = f ? hitTest(f, x, y) : null;
      if (hit && hit.sliceId >= 0) view.selectSlice(hit.sliceId);
      else if (hit?.instant) view.selectInstant(hit.instant.id, hit.instant.count);
      else view.clearSelection();
    } else if (d.kind === 'ruler') {
      // A click on the axis (a span under 3 px) removes the ruler.
      const r = view.ruler;
      if (r && pxSpan(view, r.startNs, r.endNs) < 3) view.ruler = null;
    } else if (d.kind === 'area') {
      const t = pxToTime(view.viewport, x);
      const startNs = Math.min(d.startNs, t);
      const endNs = Math.max(d.startNs, t);
      const keys = rowKeysBetween(view, d.startY, y);
      if (pxSpan(view, startNs, endNs) < 3 || keys.length === 0) view.clearSelection();
      else view.selectRange({ startNs, endNs }, keys);
    }
  }

  function onPointerLeave() {
    pointerX = null;
    if (!drag) {
      view.hoverSlice = -1;
      view.cursorNs = null;
      view.tooltip = null;
    }
  }

  function onWheel(e: WheelEvent) {
    if (!view.model) return;
    const [x] = localPoint(el, e);
    const dy = wheelDeltaPx(e.deltaY, e.deltaMode, el.clientHeight);
    const dx = wheelDeltaPx(e.deltaX, e.deltaMode, el.clientWidth);
    if (e.ctrlKey || e.metaKey) {
      view.zoomAtPx(x, wheelZoomFactor(dy));
      e.preventDefault();
    } else if (e.shiftKey) {
      // Browsers turn shift+wheel into deltaX on some platforms: use whichever is set.
      view.panPx(dx !== 0 ? dx : dy);
      e.preventDefault();
    } else if (Math.abs(dx) > Math.abs(dy)) {
      view.panPx(dx);
      e.preventDefault();
    } else {
      const scroller = hooks.scrollElement();
      if (!scroller) return;
      const before = scroller.scrollTop;
      scroller.scrollTop = before + dy;
      // Only keep the wheel when the rows actually scrolled: at their ends the page scrolls.
      if (scroller.scrollTop !== before) e.preventDefault();
    }
  }

  function tick(now: number) {
    if (held.size === 0) {
      animating = false;
      return;
    }
    const dt = Math.min(0.05, (now - lastTick) / 1000);
    lastTick = now;
    const anchor = pointerX ?? view.widthPx / 2;
    if (held.has('w')) view.zoomAtPx(anchor, Math.exp(-KEY_ZOOM_RATE * dt));
    if (held.has('s')) view.zoomAtPx(anchor, Math.exp(KEY_ZOOM_RATE * dt));
    if (held.has('a')) view.panPx(-KEY_PAN_WIDTHS_PER_S * dt * view.widthPx);
    if (held.has('d')) view.panPx(KEY_PAN_WIDTHS_PER_S * dt * view.widthPx);
    requestAnimationFrame(tick);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (!view.model || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'w' || k === 'a' || k === 's' || k === 'd') {
      if (!held.has(k)) {
        held.add(k);
        // One key press always moves a step, even if the key is released before the next frame.
        const anchor = pointerX ?? view.widthPx / 2;
        if (k === 'w') view.zoomAtPx(anchor, 0.8);
        if (k === 's') view.zoomAtPx(anchor, 1.25);
        if (k === 'a') view.panPx(-0.1 * view.widthPx);
        if (k === 'd') view.panPx(0.1 * view.widthPx);
      }
      if (!animating) {
        animating = true;
        lastTick = performance.now();
        requestAnimationFrame(tick);
      }
    } else if (k === 'f') view.zoomToSelection();
    else if (k === '0') view.fitAll();
    else if (k === 'escape') view.clearSelection();
    else if (k === '/') hooks.focusSearch();
    else if (k === 'arrowleft' || k === 'arrowright') view.panPx((k === 'arrowleft' ? -0.1 : 0.1) * view.widthPx);
    else if (k === '+' || k === '=') view.zoomAtPx(view.widthPx / 2, 0.8);
    else if (k === '-') view.zoomAtPx(view.widthPx / 2, 1.25);
    else return;
    e.preventDefault();
  }

  function onKeyUp(e: KeyboardEvent) {
    held.delete(e.key.toLowerCase());
  }

  function onBlur() {
    held.clear();
  }

  el.addEventListener('pointerdown', onPointerDown);
  el.addEventListener('pointermove', onPointerMove);
  el.addEventListener('pointerup', onPointerUp);
  el.addEventListener('pointercancel', onPointerUp);
  el.addEventListener('pointerleave', onPointerLeave);
  el.addEventListener('wheel', onWheel, { passive: false });
  el.addEventListener('keydown', onKeyDown);
  el.addEventListener('keyup', onKeyUp);
  el.addEventListener('blur', onBlur);
  return () => {
    el.removeEventListener('pointerdown', onPointerDown);
    el.removeEventListener('pointermove', onPointerMove);
    el.removeEventListener('pointerup', onPointerUp);
    el.removeEventListener('pointercancel', onPointerUp);
    el.removeEventListener('pointerleave', onPointerLeave);
    el.removeEventListener('wheel', onWheel);
    el.removeEventListener('keydown', onKeyDown);
    el.removeEventListener('keyup', onKeyUp);
    el.removeEventListener('blur', onBlur);
  };
}
