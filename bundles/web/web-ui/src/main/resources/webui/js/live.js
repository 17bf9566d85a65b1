// The monitoring dashboard's live feed: server-sent events from /api/dashboard/events (polls of
// devices, alarm changes; see bundle web-dashboard). The browser's EventSource sends the
// session cookie and reconnects by itself after a dropped connection.

/**
 * Opens the feed. handlers: { poll(data), alarm(data), 'device-removed'(data), state(connected) }.
 * Returns a function that closes it (pass it to ctx.onLeave).
 */
export function connect(handlers) {
  const source = new EventSource('/api/dashboard/events', { withCredentials: true });
  const parse = (fn) => (ev) => {
    let data = null;
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    fn(data);
  };
  for (const name of ['poll', 'alarm', 'device-removed']) {
    if (handlers[name]) source.addEventListener(name, parse(handlers[name]));
  }
  source.addEventListener('ready', () => handlers.state && handlers.state(true));
  source.onerror = () => handlers.state && handlers.state(false);
  return () => source.close();
}
