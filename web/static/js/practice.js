// The call: a websocket client for /ws/sessions/{id} (DESIGN.md §6). Every text reaches the
// page through textContent, never innerHTML. A move carries a client_id, so resending it after
// a reconnect is idempotent; the server re-sends the session frame on every connect and
// regenerates a reply that was cut off.
import { api } from "./api.js";

const config = JSON.parse(document.getElementById("practice-config").textContent);
const text = config.text;

const log = document.getElementById("chat-log");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const sendButton = document.getElementById("send");
const endButton = document.getElementById("end-call");
const typing = document.getElementById("typing");
const connection = document.getElementById("connection");
const errorBox = document.getElementById("chat-error");
const errorText = document.getElementById("chat-error-text");
const retryButton = document.getElementById("retry");
const endedBox = document.getElementById("ended");
const endedText = document.getElementById("ended-text");
const scorecardLink = document.getElementById("scorecard-link");
const endDialog = document.getElementById("end-dialog");
const mood = document.getElementById("mood");
const announce = document.getElementById("announce");

let socket = null;
let attempts = 0;
let reconnectTimer = null;
let pingTimer = null;
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

function scrollToEnd() {
  log.scrollTop = log.scrollHeight; // the log scrolls on wide screens, the page on phones
  log.lastElementChild?.scrollIntoView({ block: "nearest" });
}

function labelChip(label) {
  const chip = document.createElement("span");
  chip.className = `chip l-${label.label}`;
  let name = config.labels[label.label] ?? label.label;
  if (label.label === "other" && label.move) name += ` · ${config.moves[label.move] ?? label.move}`;
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
  content.textContent = body;
  item.append(who, content);
  if (label && config.coach) item.append(labelChip(label));
  log.append(item);
  if (turnId) rendered.set(turnId, item);
  scrollToEnd();
  return item;
}

function showMood(state) {
  if (!mood || !state) return;
  mood.hidden = false;
  document.getElementById("mood-patience").value = Number(state.patience ?? 0);
  document.getElementById("mood-trust").value = Number(state.trust ?? 0);
  document.getElementById("mood-stance").textContent = config.stances[state.stance] ?? "";
}

function setStatus(message) {
  connection.textContent = message;
}

function updateControls() {
  const open = socket?.readyState === WebSocket.OPEN;
  const canSend = open && !waiting && !ended && !ending && input.value.trim() !== "";
  input.disabled = ended;
  sendButton.disabled = !canSend;
  endButton.disabled = ended || ending;
  typing.hidden = !(waiting && !ended);
}

function clearError() {
  errorBox.hidden = true;
  retryButton.hidden = true;
  errorText.textContent = "";
}

function showError(code, message) {
  errorText.textContent = config.errors[code] ?? message ?? text.error_generic;
  errorBox.hidden = false;
  retryButton.hidden = code !== "llm_unavailable";
  errorBox.dataset.code = code ?? "";
}

function showEnded(withScorecard) {
  ended = true;
  ending = false;
  endedBox.hidden = false;
  if (withScorecard) {
    endedText.textContent = buyerEnded ? `${text.buyer_ended} ${text.scorecard_ready}` : text.scorecard_ready;
    scorecardLink.hidden = false;
    scorecardLink.focus();
  }
  updateControls();
}

function send(message) {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

function onSession(frame) {
  const session = frame.session ?? {};
  log.replaceChildren();
  rendered.clear();
  for (const turn of session.turns ?? []) {
    bubble(turn.role, turn.id, turn.text, turn.label);
  }
  if (config.coach && session.state) showMood(session.state);
  waiting = Boolean(frame.pending);
  if (session.status === "ended") {
    showEnded(true);
    return;
  }
  if (outbox) {
    // Stored already or not, the same client_id makes the resend safe.
    waiting = true;
    send({ type: "message", text: outbox.text, client_id: outbox.client_id });
  }
  updateControls();
}

function onTurn(frame) {
  outbox = null;
  const item = bubble(frame.role ?? "trainee", frame.turn_id, frame.text, frame.label);
  // A resent move the server already had: a reply follows only if none was stored yet.
  waiting = frame.duplicate ? log.lastElementChild === item : true;
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
  showError(code, frame.message);
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

function connect() {
  clearTimeout(reconnectTimer);
  setStatus(attempts ? text.reconnecting : text.connecting);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${config.ws_path}`);
  socket.addEventListener("open", () => {
    attempts = 0;
    setStatus(text.connected);
    clearInterval(pingTimer);
    pingTimer = setInterval(() => send({ type: "ping" }), 25000);
    updateControls();
  });
  socket.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    handle(frame);
  });
  socket.addEventListener("close", (event) => {
    clearInterval(pingTimer);
    updateControls();
    if (event.code === 1008) {
      setStatus(text.signed_out);
      showError("signed_out", text.signed_out);
      return;
    }
    if (event.code === 4008) showError("too_many_sockets"); // too many tabs: retry below
    if (ended) {
      setStatus(text.ended);
      return;
    }
    // Exponential backoff with jitter, capped at 15 s.
    const delay = Math.min(15000, 500 * 2 ** attempts) * (0.75 + Math.random() / 2);
    attempts += 1;
    setStatus(text.offline);
    reconnectTimer = setTimeout(connect, delay);
  });
}

function submitMove() {
  const value = input.value.trim();
  if (!value || waiting || ended || ending) return;
  clearError();
  outbox = { client_id: newId(), text: value };
  if (send({ type: "message", text: value, client_id: outbox.client_id })) {
    input.value = "";
    waiting = true;
  }
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

endButton.addEventListener("click", () => {
  if (typeof endDialog.showModal === "function") endDialog.showModal();
});

endDialog.addEventListener("close", async () => {
  if (endDialog.returnValue !== "end" || ended) return;
  ending = true;
  setStatus(text.ending);
  updateControls();
  if (send({ type: "end" })) return;
  try {
    await api("POST", config.end_url, {}); // the socket is down: end over HTTP
    showEnded(true);
  } catch (error) {
    ending = false;
    showError(error.code, error.message);
    updateControls();
  }
});

connect();
