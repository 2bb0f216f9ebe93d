"""Browser-side JavaScript that keeps the result videos time-synchronised."""

# Runs after each comparison (and from the "play together" button): waits for the visible result videos to
# load, links them (play, pause and seeking one moves the others) and starts them all from frame 0.
SYNC_VIDEOS_JS = """
async () => {
  const group = () => [...document.querySelectorAll('#mixer-results video')]
    .filter(v => v.currentSrc && v.offsetParent !== null);
  for (let i = 0; i < 100 && !(group().length && group().every(v => v.readyState >= 2)); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  const follow = (src, fn) => {
    if (window.__mixerSyncBusy) return;
    window.__mixerSyncBusy = true;
    group().filter(v => v !== src).forEach(fn);
    setTimeout(() => { window.__mixerSyncBusy = false; }, 100);
  };
  const videos = group();
  for (const v of videos) {
    v.muted = true;
    v.loop = true;
    if (v.dataset.mixerSync) continue;
    v.dataset.mixerSync = '1';
    v.addEventListener('play', () => follow(v, o => { o.currentTime = v.currentTime; o.play().catch(() => {}); }));
    v.addEventListener('pause', () => follow(v, o => o.pause()));
    v.addEventListener('seeked', () => follow(v, o => { o.currentTime = v.currentTime; }));
  }
  window.__mixerSyncBusy = true;
  videos.forEach(v => { v.pause(); v.currentTime = 0; });
  await Promise.all(videos.map(v => v.play().catch(() => {})));
  window.__mixerSyncBusy = false;
}
"""
