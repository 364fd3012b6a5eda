import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { networkInterfaces } from "node:os";
import path from "node:path";

import { type Page, expect, test } from "@playwright/test";

import { freePort } from "../fixtures/wait";
import { signInAs } from "./fixtures/sign-in";
import { createUser } from "./fixtures/users";

// The outbox holds magic links, so reading it is signing in as anyone (issue 11, finding 7). `npm start`
// listens on this machine only and serves the outbox there; listening anywhere else, it needs staff.

const root = path.resolve(__dirname, "../..");
const port = Number(process.env.E2E_PORT);

/** A GET with exactly these headers (Host included), as any HTTP client can send, and the answer's status and location. */
function rawGet(target: { host: string; port: number; path: string }, headers: Record<string, string>) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const request = http.get({ host: target.host, port: target.port, path: target.path, headers }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    request.on("error", reject);
  });
}

/** The newest message in the outbox, read on the loopback server like the sign-in fixture does. */
async function someOutboxMessageId(page: Page) {
  const outbox = await (await page.request.get("/outbox")).text();
  const id = /href="\/outbox\/([0-9a-f-]{36})"/.exec(outbox)?.[1];
  expect(id, "the outbox lists the sign-in emails").toBeTruthy();
  return id!;
}

test("npm start listens on this machine only: other addresses of the machine refuse the connection", async () => {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === "IPv4")
    .map((a) => a!.address);
  test.skip(addresses.length === 0, "this machine has no non-loopback address to try");
  for (const address of addresses) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: address, port }, () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      socket.setTimeout(5_000, () => {
        socket.destroy();
        resolve("timeout");
      });
    });
    expect(outcome, `${address}:${port}`).toBe("ECONNREFUSED");
  }
});

test("on loopback the outbox is open to this machine, but not to a request naming another host (DNS rebinding)", async ({
  page,
}) => {
  await signInAs(page, await createUser({ organization: "edX" }));
  const id = await someOutboxMessageId(page);

  for (const target of ["/outbox", `/outbox/${id}`]) {
    expect((await rawGet({ host: "127.0.0.1", port, path: target }, { host: `localhost:${port}` })).status).toBe(200);
    const rebound = await rawGet({ host: "127.0.0.1", port, path: target }, { host: `rebind.example:${port}` });
    expect(rebound.status, target).toBe(307);
    expect(rebound.location).toMatch(/\/signin\?callbackUrl=/);
  }
});

test.describe("an instance listening on all interfaces", () => {
  let child: ChildProcess | undefined;
  let otherPort: number;
  const output: string[] = [];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    otherPort = await freePort();
    // What `HOST=0.0.0.0 npm start` runs, on the e2e build and database. No job runner: it must not take
    // over the operations of the tests running beside it.
    child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules/next/dist/bin/next"),
        "start",
        "--hostname",
        "0.0.0.0",
        "--port",
        String(otherPort),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: "production",
          BULKOPS_EMBEDDED: "1",
          BULKOPS_LISTEN_HOST: "0.0.0.0",
          DATABASE_URL: process.env.E2E_DATABASE_URL,
          APP_URL: `http://localhost:${otherPort}`,
          AUTH_SECRET: process.env.AUTH_SECRET ?? fs.readFileSync(path.join(root, ".data/auth-secret"), "utf8").trim(),
          INNGEST_DEV: "1",
          NEXT_TELEMETRY_DISABLED: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    await expect
      .poll(
        async () => {
          if (child?.exitCode !== null) {
            throw new Error(`the instance exited:\n${output.join("")}`);
          }
          return (await fetch(`http://127.0.0.1:${otherPort}/api/health`).catch(() => null))?.status;
        },
        { timeout: 90_000, intervals: [250] },
      )
      .toBe(200);
  });

  test.afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  test("requires a signed-in staff user for the outbox, whatever the request claims about its origin", async ({
    page,
    browser,
  }) => {
    await signInAs(page, await createUser({ isStaff: true }));
    const id = await someOutboxMessageId(page);
    const other = (target: string) => ({ host: "127.0.0.1", port: otherPort, path: target });

    for (const target of ["/outbox", `/outbox/${id}`]) {
      const claims: Record<string, string>[] = [
        { host: `localhost:${otherPort}` },
        { host: `localhost:${otherPort}`, "x-forwarded-for": "127.0.0.1", "x-real-ip": "127.0.0.1" },
        { host: `127.0.0.1:${otherPort}`, "x-forwarded-host": "localhost", forwarded: "for=127.0.0.1" },
      ];
      for (const headers of claims) {
        const anonymous = await rawGet(other(target), headers);
        expect(anonymous.status, `${target} ${JSON.stringify(headers)}`).toBe(307);
        expect(anonymous.location).toMatch(/\/signin\?callbackUrl=/);
      }

      // Sessions are database rows, and cookies ignore the port: the session from the first instance works here.
      const asStaff = await page.request.get(`http://localhost:${otherPort}${target}`, { maxRedirects: 0 });
      expect(asStaff.status(), target).toBe(200);
    }
    expect(await (await page.request.get(`http://localhost:${otherPort}/outbox`)).text()).toContain(`/outbox/${id}`);

    const context = await browser.newContext();
    const member = await context.newPage();
    await signInAs(member, await createUser({ organization: "edX", role: "coordinator" }));
    for (const target of ["/outbox", `/outbox/${id}`]) {
      const asMember = await member.request.get(`http://localhost:${otherPort}${target}`, { maxRedirects: 0 });
      expect(asMember.status(), target).toBe(404);
    }
    await context.close();
  });
});
