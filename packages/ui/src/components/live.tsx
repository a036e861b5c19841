import { useEffect, useState } from "react";
import { useI18n } from "../i18n/context";

/**
 * Live pages: the server renders a view; with JavaScript, `useLiveView` follows an event-stream
 * resource route (eventStream in @souk/ui/server) and replaces the view with each `update`. The
 * stream carries what the loader would return for the same viewer, nothing more. Without
 * JavaScript, or when the stream ends, the page shows what it was rendered with (reload to refresh).
 */
export function useLiveView<T>(url: string | null, initial: T): { view: T; live: boolean } {
  const [state, setState] = useState<{ view: T; live: boolean }>({ view: initial, live: false });
  // A navigation (new loader data) resets the view.
  useEffect(() => setState((s) => ({ ...s, view: initial })), [initial]);
  useEffect(() => {
    if (!url || typeof EventSource === "undefined") return;
    const source = new EventSource(url);
    source.addEventListener("update", (event) => {
      try {
        setState({ view: JSON.parse((event as MessageEvent<string>).data) as T, live: true });
      } catch {
        // A malformed event is ignored; the next one replaces the view anyway.
      }
    });
    source.addEventListener("end", () => {
      source.close();
      setState((s) => ({ ...s, live: false }));
    });
    source.onerror = () => setState((s) => ({ ...s, live: false }));
    return () => source.close();
  }, [url]);
  return state;
}

/** "Live" while the stream is connected, for the pages that use useLiveView. */
export function LiveIndicator({ live }: { live: boolean }) {
  const { t } = useI18n();
  return live ? (
    <span className="live-indicator" role="status">
      {t("rfqLive.connected")}
    </span>
  ) : null;
}

function remaining(deadlineMs: number, nowMs: number) {
  const total = Math.max(0, Math.floor((deadlineMs - nowMs) / 1000));
  return { total, days: Math.floor(total / 86_400), hours: Math.floor((total % 86_400) / 3_600), minutes: Math.floor((total % 3_600) / 60), seconds: total % 60 };
}

/**
 * Time left before `deadline` (ISO), ticking every second with JavaScript. `serverNow` (ISO, the
 * database clock when the page was read) sets the starting point, so a wrong clock on the
 * visitor's machine shifts nothing; without JavaScript it shows the time left at rendering.
 */
export function Countdown({ deadline, serverNow }: { deadline: string; serverNow: string }) {
  const { t } = useI18n();
  const deadlineMs = Date.parse(deadline);
  const [offsetMs] = useState(() => Date.parse(serverNow) - Date.now());
  const [nowMs, setNowMs] = useState(() => Date.parse(serverNow));
  useEffect(() => {
    setNowMs(Date.now() + offsetMs);
    const timer = setInterval(() => setNowMs(Date.now() + offsetMs), 1_000);
    return () => clearInterval(timer);
  }, [offsetMs]);
  const left = remaining(deadlineMs, nowMs);
  if (left.total === 0) return <span className="countdown countdown-over">{t("rfqLive.deadlinePassed")}</span>;
  const text =
    left.days > 0
      ? t("rfqLive.leftDays", { days: String(left.days), hours: String(left.hours) })
      : left.hours > 0
        ? t("rfqLive.leftHours", { hours: String(left.hours), minutes: String(left.minutes) })
        : t("rfqLive.leftMinutes", { minutes: String(left.minutes), seconds: String(left.seconds).padStart(2, "0") });
  return (
    <span className={`countdown${left.total < 600 ? " countdown-soon" : ""}`} role="timer" aria-live="off">
      {text}
    </span>
  );
}
