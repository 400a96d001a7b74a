import { DashboardQuery } from '../core/dashboard/dashboard-figures';
import { dashboardFigures } from '../core/dashboard/figures-for';
import { openApiDocument } from '../core/openapi/openapi-document';
import { dashboardPage } from '../pages/dashboard-pages';
import { dashboardSources } from '../wiring/dashboard';
import { now, once } from '../wiring/settings';
import { html, HttpError, httpHandler, json, principalOf, type HttpEvent } from './http';
import { programmesNow } from './programme-lookup';

export const wiring = once(() => ({ sources: dashboardSources(), now }));
/** The same for every request (no data in it): built on the first. */
const document = once(() => openApiDocument());

async function figuresFor(event: HttpEvent) {
  const { sources, now } = wiring();
  const principal = principalOf(event);
  const query = DashboardQuery.safeParse(event.queryStringParameters ?? {});
  if (!query.success)
    throw new HttpError(400, 'BAD_QUERY', 'programmeId ditulis seperti kapuas-2026-apbd atau kuburaya-2026-apbd.');
  const { programmeId } = query.data;
  const programmes = (await programmesNow()).allProgrammes().filter((p) => !programmeId || p.id === programmeId);
  return dashboardFigures(sources, principal, { programmes, generatedAt: now().toISOString() });
}

/**
 * The dashboard for signed-in people (issue 11): its figures as JSON, and the page that charts the
 * same figures. What each viewer sees is decided part by part by the access policy (figures-for.ts).
 * And the read API's OpenAPI document (public: why in functions/core/openapi/read-api.ts).
 */
export const handler = httpHandler(async (event) => {
  switch (event.routeKey) {
    case 'GET /dashboard/figures':
      return json(200, await figuresFor(event));
    case 'GET /dashboard':
      return html(200, dashboardPage(await figuresFor(event)));
    case 'GET /openapi.json':
      return json(200, document());
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
