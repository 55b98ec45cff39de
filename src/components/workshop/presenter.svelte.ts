/**
 * Presenter mode for the page: remembered in localStorage, switched on for
 * one visit by `?present=1`. It sets `data-tw-presenter` on <html> so the
 * page's CSS (src/styles/tracewise.css) scales the type, and the workshop
 * passes the flag to its timelines. Browser only (call from onMount).
 */
const KEY = 'tracewise.presenter';

export class Presenter {
  on = $state(false);

  constructor(fromUrl: boolean) {
    let saved = false;
    try {
      saved = localStorage.getItem(KEY) === '1';
    } catch {
      /* storage blocked: not remembered */
    }
    this.set(fromUrl || saved, false);
  }

  set(on: boolean, remember = true): void {
    this.on = on;
    document.documentElement.toggleAttribute('data-tw-presenter', on);
    if (!remember) return;
    try {
      localStorage.setItem(KEY, on ? '1' : '0');
    } catch {
      /* storage blocked: not remembered */
    }
  }
}
