import { isIP } from "node:net";

/**
 * Who is asking, for per-client limits: the address the outermost of `trustedProxies` reverse proxies saw,
 * read from X-Forwarded-For, to which each proxy appends the address that connected to it. Next's server
 * adds the socket address only when the request carries no X-Forwarded-For, so for 0 or 1 proxy the last
 * entry is the one to take; a client reaching the app directly can therefore choose its own.
 * IPv6 clients are keyed by their /64, the block one subscriber gets; anything unreadable is "unknown".
 */
export function clientAddress(forwardedFor: string | null, trustedProxies: number): string {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const hop = hops[Math.max(0, hops.length - Math.max(1, trustedProxies))] ?? "";
  // Some proxies add the client's port: "192.0.2.1:5123", "[2001:db8::1]:5123".
  const address = /^\[(.+)\](?::\d+)?$/.exec(hop)?.[1] ?? hop.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  const v4 = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (isIP(v4) === 4) {
    return v4;
  }
  return isIP(address) === 6 ? ipv6Network(address) : "unknown";
}

function ipv6Network(address: string) {
  // An embedded IPv4 tail ("64:ff9b::192.0.2.1") fills the last two groups.
  const groups = (part: string) => (part ? part.split(":") : []).flatMap((g) => (g.includes(".") ? ["0", "0"] : [g]));
  const [head, tail] = address.split("%")[0].split("::");
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const full = [...front, ...Array<string>(8 - front.length - back.length).fill("0"), ...back];
  const network = full.slice(0, 4).map((g) => parseInt(g, 16).toString(16));
  return `${network.join(":")}::/64`;
}
