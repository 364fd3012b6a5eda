import type { Metadata } from "next";

import { NoAccess } from "@/components/ui/no-access";
import { Pagination } from "@/components/ui/pagination";
import { listApiTokensQuery } from "@/lib/auth/api-token-schemas";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";

import type { SearchParams } from "../search-params";
import { NewTokenForm } from "./new-token-form";
import { TokensTable } from "./tokens-table";

export const metadata: Metadata = { title: "API tokens" };

const PATH = "/tokens";

export default async function TokensPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getPageUser(PATH);
  if (!hasAccess(user)) {
    return <NoAccess />;
  }
  const query = listApiTokensQuery.parse(await searchParams);
  const result = await listApiTokens({ userId: user.id, ...query });

  return (
    <>
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <p className="muted">
            Personal tokens for scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you,
            until it expires or you revoke it; revoke any token you no longer use or that may have leaked.
          </p>
        </div>
      </div>
      <NewTokenForm />
      <TokensTable items={result.items} />
      <Pagination path={PATH} query={{}} page={result.page} pageSize={result.pageSize} total={result.total} />
    </>
  );
}
