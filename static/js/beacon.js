// Counts one read of this article: a tiny POST after the page is shown, so reads are counted even
// when the page came from a cache. Loaded only on article pages (templates/includes/meta.html).
(() => {
  const script = document.currentScript;
  const url = script && script.dataset.beaconUrl;
  if (!url || navigator.webdriver) return;
  const send = () => {
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(() => {});
    }
  };
  // A page opened in a background tab counts when the reader looks at it.
  if (document.visibilityState === "visible") {
    send();
  } else {
    const onVisible = () => {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", onVisible);
        send();
      }
    };
    document.addEventListener("visibilitychange", onVisible);
  }
})();
