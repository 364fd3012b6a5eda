import { describe, expect, it } from "vitest";

import { clientAddress } from "@/lib/auth/client-address";

describe("clientAddress", () => {
  it("takes X-Forwarded-For's last entry with one proxy, or none (Next's server puts the socket address there)", () => {
    expect(clientAddress("192.0.2.7", 1)).toBe("192.0.2.7");
    expect(clientAddress("198.51.100.1, 192.0.2.7", 1)).toBe("192.0.2.7");
    expect(clientAddress("::ffff:192.0.2.7", 1)).toBe("192.0.2.7");
  });

  it("takes the address the outermost of several proxies saw, ignoring what the client prepended", () => {
    expect(clientAddress("forged, 192.0.2.7, 10.0.0.2", 2)).toBe("192.0.2.7");
    expect(clientAddress("192.0.2.7, 10.0.0.2", 3)).toBe("192.0.2.7");
  });

  it("keys an IPv6 client by its /64", () => {
    expect(clientAddress("2001:db8:1:2:3:4:5:6", 1)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:db8:1:2::9", 1)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:DB8:0001:0002:ffff::1", 1)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:db8::1", 1)).toBe("2001:db8:0:0::/64");
    expect(clientAddress("::1", 1)).toBe("0:0:0:0::/64");
    expect(clientAddress("64:ff9b::192.0.2.7", 1)).toBe("64:ff9b:0:0::/64");
    expect(clientAddress("fe80::1%eth0", 1)).toBe("fe80:0:0:0::/64");
  });

  it("drops a port some proxies add", () => {
    expect(clientAddress("192.0.2.7:51234", 1)).toBe("192.0.2.7");
    expect(clientAddress("[2001:db8:1:2::9]:51234", 1)).toBe("2001:db8:1:2::/64");
  });

  it("calls anything unreadable unknown", () => {
    for (const value of [null, "", " , ", "not-an-address", "999.1.1.1", "192.0.2.7; drop table"]) {
      expect(clientAddress(value, 1), String(value)).toBe("unknown");
    }
  });
});
