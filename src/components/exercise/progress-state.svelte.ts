/**
 * The page's saved progress: one ProgressStore over localStorage, shared by
 * every exercise island, with a rune that changes on each write (here or in
 * another tab) so widgets re-read. Browser only: call `progressState()` from
 * onMount, never during server rendering.
 */
import { DEFAULT_KEY, ProgressStore, type ProgressNotice, type ProgressStorage } from '../../lib/exercises/progress.ts';

export class ProgressState {
  readonly store: ProgressStore;
  /** Bumped on every change; read it to re-run when progress changes. */
  version = $state(0);
  notices = $state.raw<ProgressNotice[]>([]);
  /** The one widget that shows the notices (LessonProgress over the first Exercise), so they appear once per page. */
  noticeOwner = $state.raw<object | null>(null);
  private claims: Array<{ token: object; priority: number }> = [];

  constructor(storage: ProgressStorage | null, key = DEFAULT_KEY) {
    this.store = new ProgressStore(storage, { key });
    this.touch();
  }

  /** Call after each write: picks up notices and wakes readers. */
  touch(): void {
    const n = this.store.takeNotices();
    if (n.length) this.notices = [...this.notices, ...n];
    this.version++;
  }

  /** Offers to show the notices; returns the release to call on unmount. */
  claimNotices(token: object, priority: number): () => void {
    this.claims.push({ token, priority });
    this.electOwner();
    return () => {
      this.claims = this.claims.filter((c) => c.token !== token);
      this.electOwner();
    };
  }

  private electOwner(): void {
    let best: { token: object; priority: number } | null = null;
    for (const c of this.claims) if (!best || c.priority > best.priority) best = c;
    this.noticeOwner = best?.token ?? null;
  }

  dismiss(n: ProgressNotice): void {
    this.notices = this.notices.filter((x) => x !== n);
  }
}

// One state per storage key: the lessons use DEFAULT_KEY; the upload page keeps its own key so that nothing it
// writes can touch the lessons' document.
const instances = new Map<string, ProgressState>();

function browserStorage(): ProgressStorage | null {
  try {
    return window.localStorage ?? null;
  } catch {
    return null; // blocked cookies / sandboxed frame: the store works in memory
  }
}

export function progressState(key: string = DEFAULT_KEY): ProgressState {
  let instance = instances.get(key);
  if (!instance) {
    const p = new ProgressState(browserStorage(), key);
    instance = p;
    instances.set(key, p);
    window.addEventListener('storage', (e) => {
      if (e.key === null || e.key === p.store.key) {
        p.store.load();
        p.touch();
      }
    });
  }
  return instance;
}
