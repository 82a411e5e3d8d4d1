// Small fetch wrapper: JSON in and out, the CSRF token on every state-changing request.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(data?.message ?? response.statusText);
    error.code = data?.code ?? "http_error";
    error.status = response.status;
    error.problems = Array.isArray(data?.problems) ? data.problems : [];
    throw error;
  }
  return data;
}
