// @ts-check
// The SDK's layers, enforced by `npm run check:layers` (part of `npm test`). docs/architecture.md draws
// them. From the bottom up:
//
//   foundation   brand, redact, logger               imports nothing of the SDK
//   values       errors, dto                         foundation only (dto may use errors)
//   ports        integrations                        the layers below
//   services     reporting, telemetry, batch,        the layers below
//                locks, redis
//   engines      orders (the flows), omnitron        the layers below; never each other
//                (the REST adapter)
//   runtimes     scheduler, intake                   the layers below; never each other
//   testing      testing                             anything; nothing imports it but the entry point
//
// Each rule names the layer it keeps; a rule's comment says why it exists.

/** Folders of one layer, as a path pattern. */
const layer = (...folders) => `^src/(${folders.join('|')})/`;

const FOUNDATION = layer('foundation');
const VALUES = layer('errors', 'dto');
const SERVICES = layer('reporting', 'telemetry', 'batch', 'locks', 'redis');
const PORTS = layer('integrations');
const ENGINES = layer('orders', 'omnitron');
const RUNTIMES = layer('scheduler', 'intake');
const TESTING = layer('testing');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle, even of types only, means two files are one concept split badly: merge or invert them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'foundation-stands-alone',
      comment: 'Branding, redaction and the logger interface are used by every layer, so they may use none.',
      severity: 'error',
      from: { path: FOUNDATION },
      to: { path: '^src/', pathNot: FOUNDATION },
    },
    {
      name: 'values-stay-values',
      comment: 'Errors and DTOs are what every layer passes around; they know nothing of who passes them.',
      severity: 'error',
      from: { path: VALUES },
      to: { path: '^src/', pathNot: [FOUNDATION, VALUES] },
    },
    {
      name: 'errors-below-dto',
      comment: 'A DTO may throw an SDK error while parsing; an error never depends on a DTO.',
      severity: 'error',
      from: { path: '^src/errors/' },
      to: { path: '^src/dto/' },
    },
    {
      name: 'ports-below-services',
      comment:
        'OmnitronIntegration and ChannelIntegration are contracts: they speak in values only, and everything ' +
        'above (the reporter, the batch tracker, the engines) depends on them.',
      severity: 'error',
      from: { path: PORTS },
      to: { path: [SERVICES, ENGINES, RUNTIMES, TESTING] },
    },
    {
      name: 'services-below-engines',
      comment: 'Reporting, telemetry, batch tracking, locks and Redis settings serve the engines, not the reverse.',
      severity: 'error',
      from: { path: SERVICES },
      to: { path: [ENGINES, RUNTIMES, TESTING] },
    },
    {
      name: 'flows-never-touch-http',
      comment:
        'The order engine speaks to Omnitron through OmnitronIntegration only, so it runs the same over the REST ' +
        'adapter and the in-memory one.',
      severity: 'error',
      from: { path: '^src/orders/' },
      to: { path: ['^src/omnitron/', '^ky$', '^node:http', '^node:https', '^undici'] },
    },
    {
      name: 'flow-families-apart',
      comment:
        'Each flow family (import, updates, cancels, item updates, cancellation requests, ...) keeps its steps ' +
        'beside its flows and shares only what sits in src/orders itself, src/orders/common or src/orders/run. One exception, ' +
        'by design: reconcile repairs a missing order through the import family, so that it stays ' +
        'exactly-once with the import.',
      severity: 'error',
      from: { path: '^src/orders/([^/]+)/', pathNot: '^src/orders/reconcile/' },
      to: { path: '^src/orders/[^/]+/', pathNot: ['^src/orders/$1/', '^src/orders/(run|common)/'] },
    },
    {
      name: 'reconcile-only-borrows-the-import',
      comment: 'reconcile may use the import family (see flow-families-apart), and no other family.',
      severity: 'error',
      from: { path: '^src/orders/reconcile/' },
      to: { path: '^src/orders/[^/]+/', pathNot: ['^src/orders/(reconcile|run|common|import)/'] },
    },
    {
      name: 'run-and-common-below-families',
      comment:
        'src/orders/run (what every flow runs in) and src/orders/common (steps two or more families use) ' +
        'never import a flow family: they sit below the flows.',
      severity: 'error',
      from: { path: '^src/orders/(run|common)/' },
      to: {
        path: '^src/orders/',
        pathNot: ['^src/orders/(run|common)/', '^src/orders/[^/]+\\.ts$'],
      },
    },
    {
      name: 'rest-adapter-knows-no-flow',
      comment: 'The REST adapter implements a port; it must not depend on the engine that uses it.',
      severity: 'error',
      from: { path: '^src/omnitron/' },
      to: { path: ['^src/orders/', RUNTIMES, TESTING] },
    },
    {
      name: 'rest-facade-on-top',
      comment:
        'Calls in the REST adapter go one way: OmnitronRestIntegration composes the resources, a resource uses ' +
        'other resources and the HTTP client. Nothing inside the adapter imports the facade; a resource that ' +
        "needs one of its extension points gets it in the context's hooks.",
      severity: 'error',
      from: { path: '^src/omnitron/', pathNot: '^src/omnitron/omnitron-rest-integration\\.ts$' },
      to: { path: '^src/omnitron/omnitron-rest-integration\\.ts$' },
    },
    {
      name: 'http-only-in-the-rest-adapter',
      comment: 'One HTTP client, one place to redact, retry and time out.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/omnitron/' },
      to: { path: '^ky$' },
    },
    {
      name: 'engines-below-runtimes',
      comment: 'The scheduler and the webhook intake run flows; flows never know how they were started.',
      severity: 'error',
      from: { path: ENGINES },
      to: { path: [RUNTIMES, TESTING] },
    },
    {
      name: 'runtimes-apart',
      comment: 'The scheduler and the intake ship as separate entry points; neither needs the other.',
      severity: 'error',
      from: { path: '^src/(scheduler|intake)/' },
      to: { path: '^src/(scheduler|intake)/', pathNot: '^src/$1/' },
    },
    {
      name: 'runtime-never-imports-testing',
      comment: "Test doubles and the conformance suite are the `testing` entry point's; the runtime never loads them.",
      severity: 'error',
      from: { path: '^src/', pathNot: TESTING },
      to: { path: TESTING },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a cycle of types is still two files that cannot be read apart.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
