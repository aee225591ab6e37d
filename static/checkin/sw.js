/* The scanner page's service worker (served at /checkin/sw.js, scope
   /checkin/): the page and its scripts come from the network when it answers
   and from the cache when it does not, so the page survives a reload
   offline. The API is never cached: the page itself decides what to do
   offline (verify locally, queue the scan). */
const CACHE = "hanoi-checkin-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// The page sends the URLs it loaded (itself, its scripts and styles).
self.addEventListener("message", (event) => {
  if (event.data && Array.isArray(event.data.cache)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(event.data.cache)));
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(event.request).then((hit) => hit || caches.match("/checkin/", { ignoreSearch: true }))
      )
  );
});
