// The call: a websocket client for /ws/sessions/{id} (DESIGN.md §6). Every text reaches the
// page through textContent, never innerHTML. A move carries a client_id, so resending it after
// a reconnect is idempotent; the server re-sends the session frame on every connect and
// regenerates a reply that was cut off.
//
// The status tells the truth about the connection: the browser's offline/online events, and
// a ping that must be answered, so a socket that died without closing is noticed. A move
// written while disconnected is shown in the log as queued, leaves the composer, and is sent
// as soon as the socket is back.
import { api, errorText } from "./api.js";

const config = JSON.parse(document.getElementById("practice-config").textContent);
const text = config.text;
const PING_EVERY_MS = config.ping_every_ms ?? 15000;
const PONG_WITHIN_MS = config.pong_within_ms ?? 8000;

const log = document.getElementById("chat-log");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const sendButton = document.getElementById("send");
const endButton = document.getElementById("end-call");
const typing = document.getElementById("typing");
const connection = document.getElementById("connection");
const errorBox = document.getElementById("chat-error");
const errorLine = document.getElementById("chat-error-text");
const retryButton = document.getElementById("retry");
const endedBox = document.getElementById("ended");
const endedText = document.getElementById("ended-text");
const scorecardLink = document.getElementById("scorecard-link");
const endDialog = document.getElementById("end-dialog");
const mood = document.getElementById("mood");
const announce = document.getElementById("announce");
const advanceHint = document.getElementById("advance-hint");
const advanceEnd = document.getElementById("advance-end");

let socket = null;
let generation = 0; // events of a socket given up on are ignored
let attempts = 0;
let reconnectTimer = null;
let pingTimer = null;
let pongTimer = null;
let online = navigator.onLine !== false;
let waiting = false; // a reply is pending: no new move until it is done
let ended = false;
let ending = false;
let buyerEnded = false; // the buyer hung up (buyer_done with ends_call)
let outbox = null; // {client_id, text}: sent, not yet acknowledged by a turn frame
const rendered = new Map(); // turn id → bubble element

function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function isOpen() {
  return socket?.readyState === WebSocket.OPEN;
}

function scrollToEnd() {
  log.scrollTop = log.scrollHeight; // the log scrolls on wide screens, the page on phones
  log.lastElementChild?.scrollIntoView({ block: "nearest" });
}

function labelChip(label) {
  const chip = document.createElement("span");
  chip.className = `chip l-${label.label}`;
  let name = config.labels[label.label] ?? "";
  if (label.label === "other" && label.move && label.move !== "other") {
    name += ` · ${config.moves[label.move] ?? ""}`;
  }
  chip.textContent = name;
  return chip;
}

function bubble(role, turnId, body, label) {
  if (turnId && rendered.has(turnId)) return rendered.get(turnId);
  const item = document.createElement("li");
  item.className = `msg ${role}`;
  if (turnId) item.dataset.turnId = turnId;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = role === "trainee" ? text.you : text.buyer;
  const content = document.createElement("p");
  content.className = "text";
  content.lang = config.call_lang; // the call's language, whatever the page's
  content.textContent = body;
  item.append(who, content);
  if (label && config.coach) item.append(labelChip(label));
  log.append(item);
  if (turnId) rendered.set(turnId, item);
  scrollToEnd();
  return item;
}

// The move not yet acknowledged, shown as "sending" or, with no connection, "queued".
function showOutbox() {
  let item = log.querySelector(".msg.outbox");
  if (!outbox) {
    item?.remove();
    return;
  }
  if (!item) {
    item = bubble("trainee", null, outbox.text);
    item.classList.add("outbox");
    const state = document.createElement("span");
    state.className = "msg-state";
    item.append(state);
  }
  const queued = !isOpen();
  item.classList.toggle("queued", queued);
  item.querySelector(".msg-state").textContent = queued ? text.queued : text.sending;
}

function showMood(state) {
  if (!mood || !state) return;
  mood.hidden = false;
  document.getElementById("mood-patience").value = Number(state.patience ?? 0);
  document.getElementById("mood-trust").value = Number(state.trust ?? 0);
  document.getElementById("mood-stance").textContent = config.stances[state.stance] ?? "";
}

function showAdvance(agreed) {
  if (!advanceHint) return;
  advanceHint.hidden = !(agreed && !ended);
}

function setStatus(message, kind) {
  connection.textContent = message;
  connection.dataset.state = kind;
}

function updateControls() {
  const canSend = !waiting && !ended && !ending && !outbox && input.value.trim() !== "";
  input.disabled = ended;
  sendButton.disabled = !canSend;
  endButton.disabled = ended || ending;
  typing.hidden = !(waiting && isOpen() && !ended);
  showOutbox();
}

function clearError() {
  errorBox.hidden = true;
  retryButton.hidden = true;
  errorLine.textContent = "";
}

function showError(code) {
  errorLine.textContent = config.errors[code] ?? errorText(code) ?? text.error_generic;
  errorBox.hidden = false;
  retryButton.hidden = code !== "llm_unavailable";
  errorBox.dataset.code = code ?? "";
}

function stopPings() {
  clearInterval(pingTimer);
  clearTimeout(pongTimer);
  pingTimer = null;
  pongTimer = null;
}

// A socket we no longer trust (the browser is offline, a ping went unanswered): its
// events are ignored from now on and a new one is opened when the network allows.
function abandon() {
  generation += 1;
  stopPings();
  const old = socket;
  socket = null;
  try {
    old?.close();
  } catch {
    // closing a socket that never opened
  }
}

function showEnded(withScorecard) {
  ended = true;
  ending = false;
  outbox = null;
  endedBox.hidden = false;
  showAdvance(false);
  setStatus(text.status_ended, "ended");
  if (withScorecard) {
    endedText.textContent = buyerEnded ? `${text.buyer_ended} ${text.scorecard_ready}` : text.scorecard_ready;
    scorecardLink.hidden = false;
    scorecardLink.focus();
    clearTimeout(reconnectTimer);
    abandon(); // nothing more to say: no pings, no reconnects
  }
  // Without the scorecard yet (the buyer hung up), the socket stays open for its frame.
  updateControls();
}

function send(message) {
  if (!isOpen()) return false;
  socket.send(JSON.stringify(message));
  return true;
}

function sendOutbox() {
  // Stored already or not, the same client_id makes a resend safe.
  if (outbox && send({ type: "message", text: outbox.text, client_id: outbox.client_id })) {
    waiting = true;
  }
}

function onSession(frame) {
  const session = frame.session ?? {};
  log.replaceChildren();
  rendered.clear();
  for (const turn of session.turns ?? []) {
    bubble(turn.role, turn.id, turn.text, turn.label);
  }
  if (config.coach && session.state) showMood(session.state);
  showAdvance(Boolean(frame.advance_agreed));
  waiting = Boolean(frame.pending);
  if (session.status === "ended") {
    showEnded(true);
    return;
  }
  sendOutbox();
  updateControls();
}

function onTurn(frame) {
  const wasMine = outbox !== null;
  outbox = null;
  log.querySelector(".msg.outbox")?.remove();
  const item = bubble(frame.role ?? "trainee", frame.turn_id, frame.text, frame.label);
  // A resent move the server already had: a reply follows only if none was stored yet.
  waiting = frame.duplicate ? log.lastElementChild === item : true;
  if (wasMine) announce.textContent = "";
  updateControls();
}

function onDelta(frame) {
  const item = rendered.get(frame.turn_id) ?? bubble("buyer", frame.turn_id, "");
  item.classList.add("streaming");
  item.querySelector(".text").textContent += frame.delta;
  scrollToEnd();
}

function onDone(frame) {
  const item = rendered.get(frame.turn_id) ?? bubble("buyer", frame.turn_id, "");
  item.classList.remove("streaming");
  item.querySelector(".text").textContent = frame.text;
  announce.textContent = `${text.buyer}: ${frame.text}`; // once, not delta by delta
  waiting = false;
  clearError();
  if (config.coach) showMood(frame.state);
  showAdvance(Boolean(frame.advance_agreed));
  if (frame.ends_call) {
    // The buyer hung up: the call is over (its scorecard frame follows), no more moves.
    buyerEnded = true;
    endedText.textContent = text.buyer_ended;
    showEnded(false);
    return;
  }
  updateControls();
  if (!ended) input.focus();
}

function onError(frame) {
  const code = frame.code;
  showError(code);
  if (code === "llm_unavailable") {
    outbox = null; // the move is stored; only the reply is missing
    waiting = true;
  } else if (code === "session_ended") {
    showEnded(true);
  } else if (outbox) {
    input.value = input.value || outbox.text; // refused: give the text back
    outbox = null;
    waiting = false;
  } else if (code !== "reply_pending") {
    waiting = false;
  }
  ending = false;
  updateControls();
}

function handle(frame) {
  switch (frame.type) {
    case "session": return onSession(frame);
    case "turn": return onTurn(frame);
    case "buyer_delta": return onDelta(frame);
    case "buyer_done": return onDone(frame);
    case "scorecard": return showEnded(true);
    case "error": return onError(frame);
    default: return undefined; // pong and anything newer
  }
}

function startPings() {
  stopPings();
  pingTimer = setInterval(() => {
    if (!send({ type: "ping" }) || pongTimer) return;
    pongTimer = setTimeout(() => {
      // No answer: the socket is gone even if it never said so.
      abandon();
      scheduleReconnect();
    }, PONG_WITHIN_MS);
  }, PING_EVERY_MS);
}

function heardFromServer() {
  clearTimeout(pongTimer);
  pongTimer = null;
}

function scheduleReconnect() {
  clearTimeout(reconnectTimer);
  updateControls();
  if (ended) return;
  if (!online) {
    setStatus(text.offline_browser, "offline");
    return;
  }
  // Exponential backoff with jitter, capped at 15 s.
  const delay = Math.min(15000, 500 * 2 ** attempts) * (0.75 + Math.random() / 2);
  attempts += 1;
  setStatus(text.offline, "lost");
  reconnectTimer = setTimeout(connect, delay);
}

function connect() {
  clearTimeout(reconnectTimer);
  if (ended) return;
  if (!online) {
    setStatus(text.offline_browser, "offline");
    updateControls();
    return;
  }
  // After a loss the status stays "lost" until the new socket is open.
  if (attempts) setStatus(text.offline, "lost");
  else setStatus(text.connecting, "connecting");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const mine = ++generation;
  const ws = new WebSocket(`${scheme}://${location.host}${config.ws_path}`);
  socket = ws;
  ws.addEventListener("open", () => {
    if (mine !== generation) return;
    attempts = 0;
    setStatus(text.connected, "connected");
    startPings();
    updateControls();
  });
  ws.addEventListener("message", (event) => {
    if (mine !== generation) return;
    heardFromServer();
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    handle(frame);
  });
  ws.addEventListener("close", (event) => {
    if (mine !== generation) return;
    stopPings();
    socket = null;
    if (event.code === 1008) {
      setStatus(text.signed_out, "signed-out");
      showError("signed_out");
      updateControls();
      return;
    }
    if (event.code === 4008) showError("too_many_sockets"); // too many tabs: retry below
    if (ended) {
      setStatus(text.status_ended, "ended");
      return;
    }
    scheduleReconnect();
  });
}

function submitMove() {
  const value = input.value.trim();
  if (!value || waiting || ended || ending || outbox) return;
  clearError();
  outbox = { client_id: newId(), text: value };
  input.value = ""; // the move lives in the log now, queued if there is no connection
  sendOutbox();
  if (!isOpen()) announce.textContent = text.queued;
  updateControls();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitMove();
});

input.addEventListener("keydown", (event) => {
  // Enter sends, Shift+Enter adds a line; never while an input method is composing (Chinese).
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    submitMove();
  }
});

input.addEventListener("input", updateControls);

retryButton.addEventListener("click", () => {
  clearError();
  waiting = true;
  send({ type: "retry" });
  updateControls();
});

function askToEnd() {
  if (typeof endDialog.showModal === "function") endDialog.showModal();
}

endButton.addEventListener("click", askToEnd);
advanceEnd?.addEventListener("click", askToEnd);

endDialog.addEventListener("close", async () => {
  if (endDialog.returnValue !== "end" || ended) return;
  ending = true;
  setStatus(text.ending, "ending");
  updateControls();
  if (send({ type: "end" })) return;
  try {
    await api("POST", config.end_url, {}); // the socket is down: end over HTTP
    showEnded(true);
  } catch (error) {
    ending = false;
    showError(error.code);
    setStatus(online ? text.offline : text.offline_browser, online ? "lost" : "offline");
    updateControls();
  }
});

globalThis.addEventListener("offline", () => {
  online = false;
  clearTimeout(reconnectTimer);
  if (ended) return;
  abandon();
  setStatus(text.offline_browser, "offline");
  updateControls();
});

globalThis.addEventListener("online", () => {
  online = true;
  attempts = 0;
  if (!ended && !isOpen()) connect();
});

updateControls();
input.focus(); // a call opens ready for the first move
connect();
