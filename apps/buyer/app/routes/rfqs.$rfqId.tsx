import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { answerQuestion, cancelRfq, getBuyerRfq, publishRfq } from "@souk/services";
import { BUYER_RFQ_INTENT, BuyerRfqPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.title").map(({ title }) => ({ title: page ? `${page.rfq.reference} ${page.rfq.title} · ${title}` : title }));

/** One of the buyer's RFQs (another buyer's is the same 404 as one that does not exist). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:org");
  return { rfq: await orErrorPage(getBuyerRfq(deps, { rfqId: params.rfqId })) };
}

/** Publish, cancel with a reason, answer a question (the RFQ is the one in the URL). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const rfqId = params.rfqId;
  const page = `/rfqs/${rfqId}`;
  return formAction(request, async (input) => {
    switch (input.intent) {
      case BUYER_RFQ_INTENT.publish:
        await publishRfq(deps, { rfqId });
        return guards.redirectWith(page, { flash: "flash.rfqBuyer.published" });
      case BUYER_RFQ_INTENT.cancel:
        await cancelRfq(deps, { rfqId, reason: input.reason });
        return guards.redirectWith(page, { flash: "flash.rfqBuyer.cancelled" });
      case BUYER_RFQ_INTENT.answer: {
        const { id } = await answerQuestion(deps, { questionId: input.questionId, answer: input.answer, visibility: input.visibility });
        return guards.redirectWith(`${page}#question-${id}`, { flash: "flash.rfqBuyer.answered" });
      }
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function Rfq() {
  return <BuyerRfqPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
