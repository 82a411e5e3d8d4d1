// Small fetch wrapper: JSON in and out, the CSRF token on every state-changing request. A
// refusal becomes an Error whose `text` is the server's code said in the page's language
// (base.html carries the words): the server's own English message is never shown.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
let words = null;

export function errorText(code) {
  if (words === null) {
    try {
      words = JSON.parse(document.getElementById("ui-errors")?.textContent ?? "{}");
    } catch {
      words = {};
    }
  }
  return words[code] ?? words.generic ?? "";
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    const error = new Error("network");
    error.code = "network";
    error.text = errorText("network");
    error.status = 0;
    error.problems = [];
    throw error;
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(data?.message ?? response.statusText);
    error.code = data?.code ?? (response.status >= 500 ? "server_error" : "http_error");
    error.text = errorText(error.code);
    error.status = response.status;
    error.problems = Array.isArray(data?.problems) ? data.problems : [];
    throw error;
  }
  return data;
}
