// Cohorts and their invites and assignments: every change goes through the JSON API (api.js
// sends the CSRF header), then the page reloads to show the stored state. The copy button
// copies an invite link; where the clipboard is not available (plain http on a LAN address)
// the link is selected for copying by hand.
import { api } from "./api.js";

const strings = JSON.parse(document.getElementById("cohort-strings")?.textContent ?? "{}");

function statusOf(element) {
  return element.closest("form, li, section")?.querySelector("[data-role=status]");
}

async function act(element, work) {
  const status = statusOf(element);
  if (status) status.textContent = strings.saving ?? "";
  try {
    return await work();
  } catch (error) {
    if (status) status.textContent = `${strings.failed ?? ""} ${error.message}`.trim();
    return undefined;
  }
}

function onSubmit(id, work) {
  const form = document.getElementById(id);
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const done = await act(form, () => work(form, new FormData(form)));
    button.disabled = false;
    if (done !== undefined) done();
  });
}

onSubmit("create-cohort", async (_form, data) => {
  const cohort = await api("POST", "/api/cohorts", { name: data.get("name") });
  return () => location.assign(`/cohorts/${cohort.id}`);
});

onSubmit("rename-cohort", async (form, data) => {
  await api("PATCH", `/api/cohorts/${form.dataset.cohortId}`, { name: data.get("name") });
  return () => location.reload();
});

onSubmit("create-invite", async (form, data) => {
  await api("POST", `/api/cohorts/${form.dataset.cohortId}/invites`, {
    max_uses: Number(data.get("max_uses")),
    days: Number(data.get("days")),
  });
  return () => location.reload();
});

onSubmit("create-assignment", async (form, data) => {
  const kind = data.get("kind");
  const target = data.get("target");
  const body = {
    scenario_id: data.get("scenario_id"),
    style: data.get("style"),
    language: data.get("language"),
    mode: data.get("mode"),
    drill: kind === "call" ? null : kind,
    due_on: data.get("due_on") || null,
    note: String(data.get("note") ?? "").trim(),
  };
  if (target === "cohort") body.cohort_id = form.dataset.cohortId;
  else body.user_id = target;
  await api("POST", "/api/assignments", body);
  return () => location.reload();
});

const kindSelect = document.getElementById("assign-kind");
const syncKind = () => {
  for (const field of document.querySelectorAll(".call-only")) field.hidden = kindSelect.value !== "call";
};
kindSelect?.addEventListener("change", syncKind);
if (kindSelect) syncKind();

for (const button of document.querySelectorAll("button.copy-invite")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.target);
    const status = statusOf(button);
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = strings.copied ?? "";
    } catch {
      input.focus();
      input.select();
      if (status) status.textContent = strings.copy_by_hand ?? "";
    }
  });
}

for (const button of document.querySelectorAll("button.revoke-invite")) {
  button.addEventListener("click", async () => {
    if (!confirm(strings.confirm_revoke ?? "")) return;
    const done = await act(button, () => api("POST", `/api/invites/${encodeURIComponent(button.dataset.code)}/revoke`));
    if (done !== undefined) location.reload();
  });
}

for (const button of document.querySelectorAll("button.delete-assignment")) {
  button.addEventListener("click", async () => {
    if (!confirm(strings.confirm_delete ?? "")) return;
    const done = await act(button, () => api("DELETE", `/api/assignments/${button.dataset.assignmentId}`).then(() => true));
    if (done !== undefined) location.reload();
  });
}
