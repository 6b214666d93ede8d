// SiBanding: the session notice (banding.accounts.sessions, includes/session_notice.html).
// On a page with a form, a few minutes before the session would end for lack of activity the
// notice appears; "Tetap masuk" keeps the session alive with one small request. Before
// showing it the script asks the server what is left (another tab may have been active);
// that question does not count as activity.
"use strict";

(() => {
  const notice = document.getElementById("sesi-peringatan");
  // Only where something may be being filled in: a form in the page's content.
  if (!notice || !document.querySelector("main form")) return;
  const warnMs = Number(notice.dataset.warnSeconds) * 1000;
  const part = (name) => notice.querySelector(`[data-sesi="${name}"]`);
  let timer;

  const show = (which) => {
    for (const name of ["idle", "absolute", "expired"]) {
      part(name).classList.toggle("d-none", name !== which);
    }
    part("keepalive").classList.toggle("d-none", which !== "idle");
    notice.classList.remove("d-none");
  };

  const schedule = (left) => {
    clearTimeout(timer);
    const nearestMs = Math.min(left.idle_seconds, left.absolute_seconds) * 1000;
    if (nearestMs > warnMs) {
      notice.classList.add("d-none");
      timer = setTimeout(check, nearestMs - warnMs);
      return;
    }
    show(left.absolute_seconds <= left.idle_seconds ? "absolute" : "idle");
    // Look again once the time is up, to say that the session has ended.
    timer = setTimeout(check, nearestMs + 1000);
  };

  const answer = async (response) => {
    if (response.status === 401) return { expired: true };
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  };

  async function check() {
    try {
      const left = await answer(
        await fetch(notice.dataset.statusUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        }),
      );
      if (left.expired) show("expired");
      else schedule(left);
    } catch {
      timer = setTimeout(check, 60 * 1000); // the network is down: try again in a minute
    }
  }

  part("keepalive").addEventListener("click", async () => {
    const token = notice.querySelector("input[name=csrfmiddlewaretoken]").value;
    try {
      const left = await answer(
        await fetch(notice.dataset.keepaliveUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token },
        }),
      );
      if (left.expired) show("expired");
      else schedule(left);
    } catch {
      check();
    }
  });

  schedule({
    idle_seconds: Number(notice.dataset.idleSeconds),
    absolute_seconds: Number(notice.dataset.absoluteSeconds),
  });
})();
