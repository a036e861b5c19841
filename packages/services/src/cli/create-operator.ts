import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { ROLES } from "@souk/domain";
import { createServiceDeps } from "../deps";
import { createOperator, DEFAULT_OPERATOR_ORGANIZATION } from "../identity/create-operator";
import { cliServiceConfig, describeError } from "./env";

const USAGE = `Creates an operator account (operators never sign up through the apps).

Usage: pnpm --filter @souk/services create-operator --email <e-mail> --name <full name> --role <${ROLES.operator.join("|")}> [--password <password>] [--organization <name>]

Without --password a strong password is generated and printed once. A password given on the
command line can end up in the shell history: prefer the generated one and change it after the
first sign-in. --organization defaults to "${DEFAULT_OPERATOR_ORGANIZATION}".
Reads DATABASE_URL (default postgres://postgres@127.0.0.1:5432/souk).`;

async function main(): Promise<number> {
  let values: { email?: string; name?: string; role?: string; password?: string; organization?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        password: { type: "string" },
        organization: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const missing = (["email", "name", "role"] as const).filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`Missing ${missing.map((k) => `--${k}`).join(", ")}\n\n${USAGE}`);
    return 2;
  }

  // 18 random bytes → 24 URL-safe characters (144 bits): far beyond guessing, still typeable once.
  const generated = values.password === undefined ? randomBytes(18).toString("base64url") : null;
  const deps = createServiceDeps(cliServiceConfig("souk-create-operator"));
  try {
    const result = await createOperator(deps, {
      email: values.email,
      name: values.name,
      role: values.role,
      password: values.password ?? generated,
      organizationName: values.organization,
    });
    console.log(`Operator created: ${result.email} (${result.role}) in organisation ${result.organizationId}`);
    console.log(`Sign in at ${deps.publicUrls.operator}`);
    if (generated) console.log(`Password (shown once, store it now): ${generated}`);
    return 0;
  } catch (error) {
    console.error(`Could not create the operator: ${describeError(error)}`);
    return 1;
  } finally {
    await deps.close();
  }
}

process.exitCode = await main();
