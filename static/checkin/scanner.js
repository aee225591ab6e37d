// The gate scanner: reads a badge (camera or typed number), asks the server,
// and after ~3 s without an answer switches to offline by itself: it then
// verifies the badge's Ed25519 signature against the cached public keys and
// revocation list, shows the verdict from the signed payload, and queues the
// scan (with a nonce) in IndexedDB until the network returns. The device
// keeps no list of participants: only keys, badge numbers and categories.
import { verifyAsync } from "../vendor/noble-ed25519/index.js";

const S = JSON.parse(document.getElementById("strings").textContent);
const API = "/api/checkin/";
const TIMEOUT_MS = 3000;
const RETRY_MS = 5000;
const ICONS = {
  valid: "✓", confirm: "!", already_inside: "⚠", zone_denied: "⛔", revoked: "✕",
  unknown: "?", wrong_event: "✕", refused: "✕", checking: "…", idle: "⌁",
};
const $ = (id) => document.getElementById(id);

let db;
const state = {
  token: null, eventId: null, device: null, gates: [], categories: {}, keys: {},
  badges: {}, revoked: new Set(), inside: {}, online: true, since: null, pending: null,
};

class Refused extends Error {}

// ------------------------------------------------------------ storage

async function openDb() {
  return idb.openDB("hanoi-checkin", 1, {
    upgrade(d) {
      d.createObjectStore("kv");
      d.createObjectStore("queue", { keyPath: "nonce" });
    },
  });
}
const kvGet = (key) => db.get("kv", key);
const kvSet = (key, value) => db.put("kv", value, key);

async function saveState() {
  await kvSet("state", {
    eventId: state.eventId, device: state.device, gates: state.gates,
    categories: state.categories, keys: state.keys, badges: state.badges,
    revoked: [...state.revoked], since: state.since,
  });
}

async function loadState() {
  const saved = await kvGet("state");
  if (saved) {
    Object.assign(state, saved, { revoked: new Set(saved.revoked || []) });
  }
  state.inside = (await kvGet("inside")) || {};
}

// ------------------------------------------------------------ network

async function api(path, { method = "GET", body = null, timeout = TIMEOUT_MS, auth = true } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const headers = { "Content-Type": "application/json" };
    if (auth) headers.Authorization = "Device " + state.token;
    const response = await fetch(API + path, {
      method, headers, signal: controller.signal, body: body ? JSON.stringify(body) : null,
    });
    if (response.status === 401 && auth) {
      await kvSet("token", null);
      state.token = null;
      showEnrol(S.revoked_device);
      throw new Refused("401");
    }
    return response;
  } finally {
    clearTimeout(timer);
  }
}

function setOnline(online) {
  state.online = online;
  $("net").className = "net " + (online ? "online" : "offline");
  $("net-text").textContent = online ? S.online : S.offline;
  if (!online && !state.retry) {
    state.retry = setInterval(tryReconnect, RETRY_MS);
  }
  if (online && state.retry) {
    clearInterval(state.retry);
    state.retry = null;
  }
}

async function tryReconnect() {
  try {
    const response = await api("keys/");
    if (!response.ok) return;
    setOnline(true);
    await flushQueue();
    await sync();
  } catch (error) {
    /* still offline */
  }
}

async function sync() {
  const config = await api("config/");
  if (!config.ok) return;
  const c = await config.json();
  state.eventId = c.event.id;
  state.device = c.device;
  state.gates = c.gates;
  state.categories = Object.fromEntries(c.categories.map((cat) => [cat.id, cat]));
  state.keys = Object.fromEntries(c.keys.map((k) => [k.key_id, k]));
  const since = state.since ? "?since=" + encodeURIComponent(state.since) : "";
  const badges = await (await api("badges/" + since, { timeout: 10000 })).json();
  for (const b of badges.badges) state.badges[b.id] = b;
  const revoked = await (await api("revocations/" + since, { timeout: 10000 })).json();
  for (const id of revoked.badge_ids) state.revoked.add(id);
  state.since = badges.server_time;
  await saveState();
  renderGates();
}

// ------------------------------------------------------------ offline checks

function b64urlDecode(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// The layout of accreditation/signing.py.
function parsePayload(data) {
  if (data.length < 24 || data[0] !== 1) return null;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = v.getUint8(23);
  if (data.length !== 24 + 4 * count) return null;
  const zones = [];
  for (let i = 0; i < count; i++) zones.push(v.getUint32(24 + 4 * i));
  return {
    keyId: v.getUint32(1), eventId: v.getUint32(5), badgeId: v.getUint32(9),
    number: v.getUint32(13), version: v.getUint16(17), categoryId: v.getUint32(19), zoneIds: zones,
  };
}

async function badgeFromCode(code) {
  const typed = /^(\d{1,9})(?:-(\d{1,4}))?$/.exec(code);
  if (typed) {
    const number = Number(typed[1]);
    const version = typed[2] ? Number(typed[2]) : null;
    const matches = Object.values(state.badges).filter(
      (b) => b.number === number && (version === null || b.version === version)
    );
    matches.sort((a, b) => (a.revoked - b.revoked) || (b.version - a.version));
    return matches.length ? { badge: matches[0] } : { verdict: "unknown" };
  }
  let raw;
  try {
    if (code.length > 512) return { verdict: "unknown" };
    raw = b64urlDecode(code);
  } catch (error) {
    return { verdict: "unknown" };
  }
  if (raw.length <= 64 + 24) return { verdict: "unknown" };
  const data = raw.slice(0, raw.length - 64);
  const signature = raw.slice(raw.length - 64);
  const payload = parsePayload(data);
  if (!payload) return { verdict: "unknown" };
  const key = state.keys[payload.keyId];
  if (!key) return { verdict: "unknown" };
  let good = false;
  try {
    good = await verifyAsync(signature, data, b64urlDecode(key.public_key));
  } catch (error) {
    good = false;
  }
  if (!good) return { verdict: "unknown" };
  if (payload.eventId !== state.eventId) return { verdict: "wrong_event" };
  if (key.retired) return { verdict: "revoked" };
  const known = state.badges[payload.badgeId] || {};
  return {
    badge: {
      id: payload.badgeId, number: payload.number, version: payload.version,
      category_id: payload.categoryId, zone_ids: payload.zoneIds,
      flagged: Boolean(known.flagged), revoked: Boolean(known.revoked),
    },
  };
}

async function checkOffline(code, gate) {
  const found = await badgeFromCode(code);
  if (!found.badge) return { verdict: found.verdict };
  const badge = found.badge;
  const category = state.categories[badge.category_id] || null;
  const result = { badge, category };
  if (badge.revoked || state.revoked.has(badge.id)) return { ...result, verdict: "revoked" };
  if (!badge.zone_ids.includes(gate.zone.id)) return { ...result, verdict: "zone_denied" };
  const key = badge.id + ":" + gate.zone.id;
  const presence = state.inside[key] || { inside: false, entries: 0 };
  if (gate.direction === "entry") {
    if (presence.inside && gate.zone.exit_required) return { ...result, verdict: "already_inside" };
    if (presence.entries && !gate.zone.reentry_allowed) return { ...result, verdict: "already_inside" };
    state.inside[key] = { inside: true, entries: presence.entries + 1 };
  } else {
    state.inside[key] = { inside: false, entries: presence.entries };
  }
  await kvSet("inside", state.inside);
  return {
    ...result, verdict: "valid",
    needsConfirmation: gate.direction === "entry" && (badge.flagged || Boolean(category && category.requires_confirmation)),
  };
}

// ------------------------------------------------------------ queue

async function updateQueueCount() {
  $("queue-count").textContent = String(await db.count("queue"));
}

async function flushQueue() {
  const items = await db.getAll("queue");
  if (!items.length) return;
  const response = await api("scans/upload/", {
    method: "POST",
    timeout: 15000,
    body: {
      scans: items.map((i) => ({
        gate: i.gate, code: i.code, nonce: i.nonce, scanned_at: i.scanned_at,
        offline_verdict: i.offline_verdict,
      })),
    },
  });
  if (!response.ok) return;
  const { results } = await response.json();
  for (const scan of results) {
    const item = items.find((i) => i.nonce === scan.nonce);
    if (item && scan.needs_confirmation && item.confirmed !== null && scan.confirmed === null) {
      await api(`scans/${scan.id}/confirm/`, { method: "POST", body: { confirmed: item.confirmed } });
    }
    await db.delete("queue", scan.nonce);
  }
  await updateQueueCount();
}

// ------------------------------------------------------------ display

function showVerdict(kind, words, reason = "") {
  const box = $("verdict");
  box.className = "verdict " + kind;
  box.querySelector(".icon").textContent = ICONS[kind] || "?";
  $("verdict-words").textContent = words;
  $("verdict-reason").textContent = reason;
}

async function showPerson(person, badge, category, photoUrl) {
  $("person").hidden = !(person || badge);
  $("person-name").textContent = person ? person.name : "";
  $("person-function").textContent = person ? person.function_title : "";
  $("person-delegation").textContent = person ? person.delegation : "";
  const tag = $("badge-category");
  tag.textContent = category ? category.label : "";
  tag.style.background = category ? category.colour : "transparent";
  $("badge-number").textContent = badge ? String(badge.number).padStart(5, "0") : "";
  $("flag-note").textContent = badge && badge.flag_note ? badge.flag_note : "";
  const img = $("photo");
  img.hidden = true;
  if (photoUrl) {
    try {
      const response = await api(photoUrl.replace(API, ""));
      if (response.ok) {
        img.src = URL.createObjectURL(await response.blob());
        img.alt = person ? person.name : "";
        img.hidden = false;
      }
    } catch (error) {
      /* no photo offline */
    }
  }
}

function askConfirmation(onAnswer) {
  $("confirm").hidden = false;
  state.pending = onAnswer;
}

async function answer(confirmed) {
  $("confirm").hidden = true;
  const pending = state.pending;
  state.pending = null;
  if (!pending) return;
  await pending(confirmed);
  if (confirmed) showVerdict("valid", S.valid);
  else showVerdict("refused", S.refused);
}

// ------------------------------------------------------------ scanning

function currentGate() {
  const id = Number($("gate").value);
  return state.gates.find((g) => g.id === id) || state.gates[0];
}

async function handleCode(raw) {
  const code = String(raw || "").trim();
  const gate = currentGate();
  if (!code || !gate || state.pending) return;
  const nonce = crypto.randomUUID();
  const scannedAt = new Date().toISOString();
  showVerdict("checking", S.checking);
  $("person").hidden = true;
  if (state.online) {
    try {
      const response = await api("scans/", {
        method: "POST", body: { gate: gate.id, code, nonce, scanned_at: scannedAt },
      });
      if (response.ok) {
        const scan = await response.json();
        const category = scan.badge ? scan.badge.category : null;
        if (scan.needs_confirmation) {
          showVerdict("confirm", S.confirm, scan.badge && scan.badge.flag_note);
          askConfirmation((confirmed) =>
            api(`scans/${scan.id}/confirm/`, { method: "POST", body: { confirmed } })
          );
        } else {
          showVerdict(scan.verdict, S[scan.verdict] || scan.verdict_label, scan.reason_label);
        }
        await showPerson(scan.person, scan.badge, category, scan.person && scan.person.photo_url);
        return;
      }
      showVerdict("unknown", S.unknown, (await response.text()).slice(0, 200));
      return;
    } catch (error) {
      if (error instanceof Refused) return;
      setOnline(false);
    }
  }
  const result = await checkOffline(code, gate);
  const item = {
    nonce, gate: gate.id, code, scanned_at: scannedAt,
    offline_verdict: result.verdict, confirmed: null,
  };
  await db.put("queue", item);
  await updateQueueCount();
  await showPerson(null, result.badge, result.category, null);
  if (result.needsConfirmation) {
    showVerdict("confirm", S.confirm, S.offline_mark);
    askConfirmation(async (confirmed) => {
      item.confirmed = confirmed;
      await db.put("queue", item);
    });
  } else {
    showVerdict(result.verdict, S[result.verdict], S.offline_mark);
  }
}

// ------------------------------------------------------------ set-up

function renderGates() {
  const select = $("gate");
  const chosen = select.value || localStorage.getItem("checkin-gate");
  select.replaceChildren(
    ...state.gates.map((g) => {
      const option = document.createElement("option");
      option.value = g.id;
      option.textContent = `${g.name} · ${g.zone.name}`;
      return option;
    })
  );
  if (chosen && state.gates.some((g) => String(g.id) === String(chosen))) select.value = chosen;
  $("device-name").textContent = state.device ? state.device.name : "";
}

function showEnrol(message = "") {
  $("enrol").hidden = false;
  $("scanner").hidden = true;
  $("enrol-error").textContent = message;
}

async function showScanner() {
  $("enrol").hidden = true;
  $("scanner").hidden = false;
  renderGates();
  await updateQueueCount();
}

async function enrol(code) {
  $("enrol-error").textContent = "";
  const response = await api("enroll/", { method: "POST", body: { setup_code: code }, auth: false, timeout: 10000 });
  const body = await response.json();
  if (!response.ok) {
    $("enrol-error").textContent = body.detail || JSON.stringify(body);
    return;
  }
  state.token = body.token;
  await kvSet("token", body.token);
  state.since = null;
  await sync();
  await showScanner();
}

let camera = null;
async function toggleCamera() {
  const button = $("camera-toggle");
  if (camera) {
    await camera.stop();
    camera = null;
    button.textContent = S.camera_start;
    return;
  }
  try {
    camera = new Html5Qrcode("reader");
    let last = "";
    let lastAt = 0;
    await camera.start({ facingMode: "environment" }, { fps: 10, qrbox: 240 }, (text) => {
      const now = Date.now();
      if (text === last && now - lastAt < 3000) return;
      last = text;
      lastAt = now;
      handleCode(text);
    });
    button.textContent = S.camera_stop;
  } catch (error) {
    camera = null;
    showVerdict("unknown", S.camera_error);
  }
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/checkin/sw.js", { scope: "/checkin/" });
    const registration = await navigator.serviceWorker.ready;
    const urls = [
      location.pathname,
      ...performance.getEntriesByType("resource").map((e) => e.name).filter((u) => u.includes("/static/")),
    ];
    registration.active.postMessage({ cache: [...new Set(urls)] });
  } catch (error) {
    /* the page works without it while online */
  }
}

async function main() {
  db = await openDb();
  state.token = await kvGet("token");
  await loadState();
  $("enrol-form").addEventListener("submit", (e) => {
    e.preventDefault();
    enrol($("setup-code").value);
  });
  $("manual").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("code");
    handleCode(input.value);
    input.value = "";
    input.focus();
  });
  $("gate").addEventListener("change", () => localStorage.setItem("checkin-gate", $("gate").value));
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("confirm-yes").addEventListener("click", () => answer(true));
  $("confirm-no").addEventListener("click", () => answer(false));
  window.addEventListener("online", tryReconnect);
  registerServiceWorker();
  const setup = new URLSearchParams(location.search).get("setup");
  if (setup) {
    history.replaceState(null, "", location.pathname);
    await enrol(setup);
    return;
  }
  if (!state.token) {
    showEnrol();
    return;
  }
  await showScanner();
  try {
    await flushQueue();
    await sync();
  } catch (error) {
    if (!(error instanceof Refused)) setOnline(false);
  }
}

main().finally(() => {
  document.body.dataset.ready = "1";
});
