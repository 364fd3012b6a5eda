import { serve } from "inngest/next";

import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";

// GET|POST|PUT /api/inngest – Inngest Cloud or a self-hosted Inngest registers and invokes functions here;
// requests are verified with INNGEST_SIGNING_KEY when it is set.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
