import type { Stats } from '../harness.js';
import type { BenchResults, CaseFigures, EarlierRun } from '../results.js';
import { isSupportedNode } from '../runtime.js';
import { IssuerCase } from '../suites/issuer.js';
import { RawCase } from '../suites/raw-limits.js';
import { PEERS, ReaderCase } from '../suites/reader.js';

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct = (v: number): string => `${(100 * v).toFixed(0)} %`;

/** A paragraph (and its blank line) when the figures come from a Node outside the supported range. */
function supportedRuntimeNote(node: string): string[] {
  if (isSupportedNode(node)) return [];
  return [
    `Node ${node} is outside the supported range (\`engines\`: >= 22.12, decision 0023), and its OpenSSL 3.0 imports ` +
      "an EC public key several times slower than Node 22's OpenSSL 3.5, which weighs on the distinct-holder case. " +
      '`npx -p node@22 pnpm bench` measures the supported runtime.',
    '',
  ];
}
const x = (v: number): string => `${v.toFixed(1)}×`;
const spread = (s: Stats): string => `${n0(s.q1)}–${n0(s.q3)} (${n0(s.min)}–${n0(s.max)})`;

function row(c: CaseFigures, extra: readonly string[] = []): string {
  const s = c.perCpuSecond;
  return `| ${c.label} | ${n0(s.median)} | ${spread(s)} | ${n0(c.perWallSecond.median)} |${extra.map((e) => ` ${e} |`).join('')}`;
}

/** Marginal verify cost per disclosed element and per portrait KiB, from the scaling rows. */
function marginal(r: BenchResults): string {
  const [one, ten, fifty, big] = r.scaling.verify;
  if (one === undefined || ten === undefined || fifty === undefined || big === undefined) return '';
  const perElement = (fifty.microseconds - ten.microseconds) / (fifty.elements - ten.elements);
  const perKiB = (big.microseconds - ten.microseconds) / ((big.portraitBytes - ten.portraitBytes) / 1024);
  return (
    `Marginal cost: ${perElement.toFixed(1)} µs per extra disclosed element (10 → 50) and ${perKiB.toFixed(2)} µs per ` +
    'extra portrait KiB (2 → 100 KiB), on top of a fixed cost dominated by the two signature checks. On a shared machine ' +
    'one round of another job moves a row by several per cent, so read small differences with care.'
  );
}

/**
 * What the profiles showed, what was fixed, and what remains — written by hand after the runs of
 * 2026-11-22 and 2026-11-23 (`bench:profile`, and `bench:compare` in a worktree of the commit before the fixes).
 */
const PROFILE_NOTES: readonly string[] = [
  '## Profile, fixes and what remains',
  '',
  'Profiles: `pnpm --filter @mdlkit/bench run bench:profile reader|fresh|issuer [seconds]` (the V8 profiler through `node:inspector` after a 1 s warm-up; the largest self times are printed per call, the profile lands in ' +
    '`bench/profiles/`). Before/after: `pnpm --filter @mdlkit/bench run bench:compare` run alternately in this tree and ' +
    'in a `git worktree` of 9e37121 (the last commit before the fixes below), four runs each, CPU-second rates with the ' +
    'raw rates measured in the same process:',
  '',
  '| | before (9e37121) | after |',
  '| --- | ---: | ---: |',
  '| reader, % of limit (median of 4 runs, min–max) | 14.6 % (13.5–15.1) | 31.6 % (28.4–39.8) |',
  '| reader, distinct holders, % of limit | 12.5 % (11.7–14.0) | 33.0 % (25.9–35.5) |',
  '| issuer, % of raw sign | 6.0 % (5.0–6.0) | 9.1 % (8.1–14.4) |',
  '',
  '"After" also contains the reader, pki and core changes other engineers landed in the same hour. The fixes made ' +
    'for this issue (one commit each):',
  '',
  '1. **Device-key import was the largest cost after the two signature checks.** The reader builds a key handle from the ' +
    "MSO's COSE_Key for every response, and node:crypto's `createPublicKey` from SPKI DER (OpenSSL 3 decoder) cost two to " +
    'three ECDSA verifies. The node provider now imports NIST/OKP keys from JWK coordinates (about 2× faster) and shares ' +
    'KeyObjects by key bytes (bounded, 1,024 keys), and core remembers uncompressed points that already passed the ' +
    '@noble/curves curve check (bounded) — a key seen before is neither validated nor imported again, as the design asks.',
  '2. **Encoding allocated off-heap buffers per call.** `encodeCbor` created (and grew) a 512-byte typed array per call — ' +
    'typed arrays over 64 bytes live outside the V8 heap, cost about a microsecond each and load the GC, and an issuer ' +
    'encodes ~16 structures per mdoc. It now reuses one zeroed scratch buffer; deterministic maps skip the sort when the ' +
    'keys are already ascending, and the issuer writes IssuerSignedItems in that order (encoding the 11 items: ' +
    '~100 → ~45 µs). `EncodedCbor.tagged()` — the value-digest input — is written directly instead of through the encoder.',
  '3. **Digests** use one-shot `crypto.hash` instead of a `Hash` object per call (≈ 1 µs each, one per item on both sides).',
  '',
  'Second reader round (same day; full `pnpm bench` 35 % → 53 % and 55 % of the limit in two runs, distinct holders ' +
    '34 % → 42 % and 51 %; `bench:compare` 39 % → 51 %): a decoded tag-24 item keeps its received `#6.24(bstr)` slice, ' +
    'so value digests hash a view instead of a copy; recently validated DS chains are found by a cheap hash of their DER ' +
    'and confirmed byte by byte (no certificate parse or cache-key string per call); the MSO reading (decode, digest ' +
    'maps, dates, device key) is remembered by its bytes — the MSO of one mdoc is the same at every presentation — while ' +
    'the IssuerAuth signature, every value digest and the device signature are still checked on every call; error paths, ' +
    'failure details, closures and key strings are only built when something fails; Sig_structure is written without ' +
    'intermediate arrays.',
  '',
  'Third round (2026-11-23; full `pnpm bench`, six runs as the last changes landed: 72 %, 71 %, 54 %, 68 %, 71 % and ' +
    '72 % of the limit, against 51 % before — in the 54 % run the machine slowed down halfway, raw verify ranging ' +
    '8,030–12,854/s, and in the 68 % run it was about 30 % slower throughout; issuer 23 % → 39–41 % of raw sign; ' +
    '62–65 % and 34–35 % while the peers still ran in the same alternation — see Method). Two ' +
    'instruments guided it: runs with node:crypto `verify` / a signer stubbed out (the JavaScript alone), and the V8 ' +
    'sampling heap profiler with objects collected by minor GCs included (allocation per operation). Every typed array ' +
    'over 64 bytes is its own off-heap allocation, 0.6–3 µs to create and collect, and node:crypto hands back every ' +
    'digest as one. Changes: digests come back as latin1 strings and readers compare them without materialising ' +
    '(`digestEquals`); IssuerSignedItems are read as records (`EncodedCbor.readFields`, no Map per item); ' +
    'DeviceAuthenticationBytes are written inside their tag-24 wrapper in one buffer; with the node provider the ' +
    'Sig_structure to verify is built in a reused scratch buffer (node:crypto reads it before returning); the SessionTranscript ' +
    'is decoded once (it was decoded twice); memo hits are confirmed eight bytes per step. The issuer writes the ' +
    'Sig_structure in place in front of the MSO and IssuerSigned in front of the items (neither the items, the MSO nor ' +
    'the COSE_Sign1 is copied), keeps value digests in sorted arrays (no Maps), reuses the TDates of recent instants ' +
    'and makes item views only when read; the CBOR writer sorts small maps without allocating and writes ASCII in one ' +
    'pass; FullDate parses without a RegExp. Allocation per operation fell from about 37 KB to 30 KB (reader) and ' +
    '39 KB to 28 KB (issuer); the JavaScript outside the crypto calls from about 57 to 40 µs per response and 61 to ' +
    '45 µs per document.',
  '',
  'Fourth round (2026-11-23, later; three full `pnpm bench` runs on the final code: issuer 41 % → 47 %, 46 % and ' +
    '46 % of raw sign, reader 73 %, 71 % and 73 % of the limit, distinct holders 37 %, 37 % and 31 %). Allocation per issued document fell from about 22.5 KB to 13 KB and the JavaScript ' +
    'outside the crypto calls from about 29 to 24 µs per document (36 to 32 µs per response): encoder and decoder ' +
    'buffers of 65–8,192 bytes are carved from shared 64 KiB slabs instead of one off-heap ArrayBuffer each; an ' +
    "MSO's item digests are hashed straight into the MSO (`digestInto`), which is itself written in its final place " +
    'inside IssuerSigned (no MSO buffer, no copy); maps, plain objects and namespaces are read with `Map#forEach` into ' +
    'parallel arrays (no entry array or iterator result per entry); the device COSE_Key is written from the key ' +
    'handle; the local signer and `signParts` no longer add async frames.',
  '',
  'Fifth round (2026-11-23, third session; full `pnpm bench` runs on the final code: issuer 50.5 %, 51.0 % and 51.5 % of raw ' +
    'sign, reader 73.5 %, 72.8 % and 74.0 % of the limit). The JavaScript alone fell from about 24 to 19 µs per document, and ' +
    'a document with its signature from about 71 to 62–64 µs: a local node:crypto signer also signs synchronously ' +
    '(`signSync`) and `issueMdoc` uses it, so no promise turns lie between the MSO and its signature (A/B −1.5 µs); ' +
    "digests are read from node:crypto as UTF-16LE strings, two bytes per `charCodeAt`; an item's byte-string head " +
    'is reserved at the size its known length needs, so nothing moves when it is closed; item objects are made only ' +
    'when `nameSpaces` is read (the MSO hashes the items from their offsets); small maps with ASCII keys (a ' +
    'DrivingPrivilege) are sorted before they are written (940 → 600 ns); the mDL checks count mandatory elements ' +
    'instead of looking each one up and test codes without RegExp literals.',
  '',
  '**Why the JavaScript costs more next to a signature — measured.** The extra time (≈ 12 µs per document) is a ' +
    'fixed cost of switching between the JavaScript and the signature, not a share of either: the JavaScript of two ' +
    'documents per signature costs the same 12.1 µs extra as one, and two signatures per document 12.0 µs. It grows ' +
    'with how much distinct code runs between signatures: 400 small distinct functions (7.5 µs of work) add 19.8 µs to ' +
    'the signature next to them, the same work in one function adds nothing (50 / 100 / 200 / 400 functions: 0.8 / ' +
    '2.5 / 7.3 / 19.8 µs). So a change is judged between signatures, not alone: copying each salt with a byte loop ' +
    'instead of `subarray()` + `set()` is no faster alone and about 1 µs faster per document next to the signature.',
  '',
  "Issue 20 round (2026-12-06): returned byte arrays own their `ArrayBuffer` (the shared slabs and the decoder's views into one input copy are gone) and the issuer writes through one layout writer (no MSO written in place inside IssuerSigned). Measured before the change in one full `pnpm bench` run: reader 79 % of the limit, distinct holders 30 %, issuer 59 % of raw sign. After, in two runs of the first two groups of `pnpm bench` (same cases and harness, the machine shared with other work, load average 8–11): reader 69.0 % and 62.8 % of the limit, distinct holders 30.3 % and 32.6 %, issuer 42.6 % and 45.2 % of raw sign. The issuer floor (40 %) holds; the reader floor (65 %) held in one of the two runs only; the distinct-holder floor (50 %) is not met. Where the fresh device key costs, profiled (inspector profile of the distinct-holder case after warm-up): importing it into node:crypto (`createPublicKey` from JWK, OpenSSL 3) is ≈ 20 % of the time — about one ECDSA verify (75–100 µs per key measured alone, and WebCrypto `importKey('raw')` costs the same) — and noble's on-curve check of the same point ≈ 3 %; the rest is decoding (≈ 7 %), GC (≈ 8 %) and the checks. The import is OpenSSL's own cost (group set-up and key check per key), which no JavaScript-side change removes; what is left is to cut the JavaScript around it.",
  '',
  'Issue 20, second round (2026-12-07): the distinct-holder case. Counted with callgrind (instructions per ' +
    'response, OpenSSL included, so the count does not depend on how loaded the machine is): 3,290,080 → 2,837,208. ' +
    'Where a new device key cost, on Node 22.23 / OpenSSL 3.5.8: to convert an IEEE P1363 signature to DER, ' +
    "node:crypto asks OpenSSL for the key's legacy `EC_KEY`, which for a key decoded by a provider builds a second " +
    'copy of the key (≈ 120,000 instructions per new key, under `EVP_PKEY_get0_EC_KEY` in the call tree); mdlkit now ' +
    'hands node:crypto DER it writes itself. A key built from JWK coordinates is a legacy key, converted at its first ' +
    'verify; from OpenSSL 3.5 keys go in as SPKI (import 15 µs against 18 µs; import plus first verify 30 µs against ' +
    '42 µs over a verify with a known key). OpenSSL 3.0 (Node 20) keeps JWK: there decoding DER costs 101 µs against ' +
    "70 µs. @noble's on-curve check of the same point (BigInt arithmetic and its cache bookkeeping) is left to " +
    'OpenSSL, which checks the point as it imports it, and the key it makes is the one the first verify uses; @noble ' +
    'still checks compressed points and every point on the web provider, and the tests hold both checks to the same ' +
    'refusals. The bench now measures the built packages instead of their sources through tsx (see Method). ' +
    '`bench:compare`, distinct holders against the limit: 34 % before; 48 % and 48 % with the crypto changes, ' +
    'measured from sources; 46–52 % (four runs on a noisy host) with the built packages. The full runs are in the table at the top.',
  '',
  '**What remains** (the figures of this run are in the targets table at the top). A response from a new holder ' +
    'costs two verifies — the IssuerAuth one over a Sig_structure of about 3.5 KiB, where the raw limit signs 1 KiB — ' +
    "OpenSSL's import of the device key and its first use, the DeviceResponse and MSO decodes, the SessionTranscript " +
    'and the collection of what all of it allocates; each of the JavaScript steps is a few microseconds. The rounds ' +
    'above judged a change between signatures, not alone (the switch cost): that holds for the reader too.',
  '',
  'The 100 KiB scaling cases have two modes from one full run to the next: about 300–330 µs per verify and ' +
    '160–190 µs per issue in some runs, 420–445 µs and 250–300 µs in others, with background GC threads busy ' +
    'through those rounds (CPU time above wall time). The code from before this round shows the same two modes when ' +
    'measured side by side after the same fixture work, so it is a property of the process state, not of a change; ' +
    'the table shows whichever mode the run met.',
  '',
];

/** Renders `docs/performance.md` from a full run's results. */
export function renderMarkdown(r: BenchResults): string {
  const c = r.cases;
  const get = (id: string): CaseFigures => {
    const v = c[id];
    if (v === undefined) throw new Error(`no case ${id}`);
    return v;
  };
  const reader = get(ReaderCase.mdlkit).perCpuSecond.median;
  const issue = get(IssuerCase.mdlkit).perCpuSecond.median;
  const m = r.machine;
  const mark = (met: boolean): string => (met ? 'met' : '**not met**');
  const earlier = (ratio: (e: EarlierRun['ratios']) => number): string =>
    r.earlierRuns.length === 0 ? '' : ` | ${r.earlierRuns.map((e) => pct(ratio(e.ratios))).join(', ')}`;
  const lines: string[] = [];
  const push = (...l: string[]): void => {
    lines.push(...l);
  };
  push(
    '# Performance',
    '',
    '<!-- Generated by `pnpm bench` (bench/src/run.ts) from bench/results.json; edit the generator, not this file. -->',
    '',
    `Measured ${r.generatedAt.slice(0, 10)} on ${m.cpuModel} (${m.logicalCpus} logical CPUs, ${m.totalMemoryGiB} GiB), ` +
      `${m.platform} ${m.release}, Node ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}). ` +
      `The machine was shared with other jobs: 1-minute load average ${m.loadAverage.start.toFixed(1)} at the start ` +
      `and ${m.loadAverage.end.toFixed(1)} at the end of the run, on ${m.logicalCpus} CPUs.`,
    '',
    ...supportedRuntimeNote(m.node),
    '## Targets (issue #20 floors; issue #8 peer target)',
    '',
    `| Target | This run${r.earlierRuns.length > 0 ? ' | Earlier runs (same commit and Node)' : ''} | |`,
    `| --- | ---${r.earlierRuns.length > 0 ? ' | ---' : ''} | --- |`,
    `| Reader ≥ 65 % of the limit (node:crypto P-256 verify rate ÷ 2) | ${pct(r.ratios.readerVsLimit)} (${n0(reader)} of ${n0(r.limits.readerLimit)}/s)${earlier((e) => e.readerVsLimit)} | ${mark(r.targets.readerVsLimit.met)} |`,
    `| Reader, a different holder (device key) on every call, ≥ 50 % of the limit | ${pct(r.ratios.readerFreshVsLimit)}${earlier((e) => e.readerFreshVsLimit)} | ${mark(r.targets.readerFreshVsLimit.met)} |`,
    `| Issuer ≥ 40 % of the raw node:crypto sign rate | ${pct(r.ratios.issuerVsRawSign)} (${n0(issue)} of ${n0(r.limits.nodeSign)}/s)${earlier((e) => e.issuerVsRawSign)} | ${mark(r.targets.issuerVsRawSign.met)} |`,
    `| Reader ≥ 15× @auth0/mdl | ${x(r.ratios.readerVsPeer['@auth0/mdl'] ?? 0)}${r.earlierRuns.length > 0 ? ' | ' : ''} | ${mark(r.targets.readerVsAuth0.met)} |`,
    `| Verify cost linear in elements and portrait size | see [Scaling](#scaling)${r.earlierRuns.length > 0 ? ' | ' : ''} | |`,
    '',
    `Distinct holders: ${n0(r.reference.freshPoolSize)} responses in rotation — more than the node provider's key cache ` +
      `and the reader's MSO memo hold — so every response pays a device-key import and an MSO decode, as at a gate; ` +
      'measured in their own alternation with the raw verify. "Met" is judged on this run.' +
      (r.commit === null ? '' : ` Measured code: commit \`${r.commit}\`.`),
    '',
    '## Method',
    '',
    `- One process (\`pnpm bench\`) measures every case of a group in alternation — a warm-up of ${r.method.warmupMs} ms per case, ` +
      `then ${r.method.rounds} rounds of A B C … with ${r.method.roundMs} ms per case per round (the order rotates each round) — ` +
      'and reports the median round, the interquartile range and min–max.',
    '- mdlkit is measured as it is installed: the built packages (`dist`, compiled by `tsc`), which `pnpm bench` ' +
      "builds first. Only the bench's own code runs from source (through tsx). Run from the packages' sources, " +
      'tsx (esbuild with `keepNames`) would add a naming call to every function created at run time, a cost the ' +
      'published code does not have.',
    '- Groups, in this order: the raw limits with mdlkit verify and issue (the headline ratios); mdlkit with distinct ' +
      'holders against the raw verify; scaling (mdlkit and the raw rates); then the peers with mdlkit repeated among ' +
      'them (the "mdlkit is" ratios); then KMS batches. The peers come after the mdlkit-only groups because each of ' +
      'their calls leaves megabytes of garbage that V8 collects during whatever runs next: measured alongside them, ' +
      "mdlkit's ratio to the raw limit drops by 4–7 points — a cost of the peers, not of mdlkit. Each group starts " +
      'from a collected heap (node runs with `--expose-gc`; a full collection before every group), so no group pays ' +
      "for the previous one's fixtures.",
    '- Rates are **operations per CPU-second** of the process (user + system time, worker threads included). ' +
      'On a shared machine the wall clock mostly measures the scheduler; CPU time measures the work. ' +
      'Wall-clock medians are listed beside them. Ratios are taken between cases of the same alternation group.',
    '- Every call is checked: a verify counts only if the library reported success (mdlkit `report.verified`; ' +
      'the peers: no `FAILED` check and a `PASSED` device-signature check), an issue only if it returned bytes. ' +
      'A failing call aborts the run.',
    `- Reference: an mDL with its ${r.reference.elementsIssued} mandatory elements (ISO/IEC 18013-5 Table 5) including a ` +
      `${r.reference.portraitBytes / 1024} KiB portrait, issued by mdlkit with an ES256 DS key under an IACA (Annex B profiles); ` +
      `the DeviceResponse (${n0(r.reference.deviceResponseBytes)} bytes) discloses ${r.reference.elementsDisclosed} of them ` +
      'with an ES256 device signature over a QR-engagement SessionTranscript. Every library verifies these same bytes, ' +
      'with the IACA as its only trust anchor, set up once.',
    '- Raw limits: ECDSA P-256 / SHA-256 over a 1 KiB message, keys imported once (node:crypto `KeyObject`, WebCrypto `CryptoKey`), ' +
      'IEEE P1363 signatures.',
    '',
    '### How each library is configured',
    '',
    `- **mdlkit**: \`verifyDeviceResponse(bytes, { trust: new TrustStore([iacaDer]), sessionTranscript })\` with the TrustStore built once ` +
      '(default strict Annex B policy, every check of the report); `issueMdoc` with a local P-256 signer (`createLocalSigner`) and the default ' +
      'mDL schema validation.',
    `- **@auth0/mdl ${r.peers['@auth0/mdl']}**: as its README shows — one \`new Verifier([iacaPem])\`, then \`verifier.verify(bytes, { encodedSessionTranscript })\`; ` +
      'issuing with the `Document` builder (`useDigestAlgorithm("SHA-256")`, `addValidityInfo`, `addDeviceKeyInfo({ deviceKey: jwk })`, ' +
      '`sign({ issuerPrivateKey: jwk, issuerCertificate, alg: "ES256" })`) and `new MDoc([doc]).encode()`.',
    `- **@animo-id/mdoc ${r.peers['@animo-id/mdoc']}** and **@owf/mdoc ${r.peers['@owf/mdoc']}**: same calls (animo: \`new Verifier().verifyDeviceResponse\`, ` +
      '`Document` builder; owf: `Verifier.verifyDeviceResponse`, `Issuer`). Both need a caller-supplied crypto/X.509 context that their ' +
      'READMEs do not show; we follow the shape of the context in their own test suites (parse the certificate and import the key on every ' +
      'call) but implement it on node:crypto (`X509Certificate`, JWK `createPublicKey`, one-shot `verify`) instead of @peculiar/x509 + jose + ' +
      '@noble/curves, which makes these peers faster than with their own test context — the comparison is, if anything, generous to them.',
    '',
    '## Raw crypto limits',
    '',
    '| Operation | median /CPU-s | IQR (min–max) | wall /s |',
    '| --- | ---: | --- | ---: |',
    ...[RawCase.nodeVerify, RawCase.nodeSign, RawCase.webVerify, RawCase.webSign].map((id) => row(get(id))),
    '',
    `Reader limit = node:crypto verify ÷ 2 = **${n0(r.limits.readerLimit)} responses/s** (an IssuerAuth and a DeviceSignature per ` +
      'response once the DS chain is cached).',
    '',
    '## Reader: verify the reference DeviceResponse',
    '',
    '| Library | median /CPU-s | IQR (min–max) | wall /s | % of limit | mdlkit is |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
    row(get(ReaderCase.mdlkit), [pct(r.ratios.readerVsLimit), '—']),
    row(get(ReaderCase.mdlkitFresh), [pct(r.ratios.readerFreshVsLimit), '—']),
    row(get(ReaderCase.mdlkitWithPeers), ['', '—']),
    ...PEERS.map((p) => row(get(ReaderCase[p]), ['', x(r.ratios.readerVsPeer[p] ?? 0)])),
    '',
    'The first two rows are measured against the raw verify (each in its alternation); the peers in an alternation of ' +
      'their own with mdlkit repeated in it, and "mdlkit is" compares mdlkit and the peer there.',
    '',
    '## Issuer: build and sign the reference mDL (local P-256 key)',
    '',
    '| Library | median /CPU-s | IQR (min–max) | wall /s | % of raw sign | mdlkit is |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
    row(get(IssuerCase.mdlkit), [pct(r.ratios.issuerVsRawSign), '—']),
    row(get(IssuerCase.mdlkitWithPeers), ['', '—']),
    ...PEERS.map((p) => row(get(IssuerCase[p]), ['', x(r.ratios.issuerVsPeer[p] ?? 0)])),
    '',
    '## Scaling',
    '',
    'mdlkit only, measured in one alternation with the raw verify. The 1-, 10- and 50-element responses select from one ' +
      'issued document (11 mDL elements plus text elements in a second namespace); the 1-element response leaves the portrait out.',
    '',
    '| Verify | DeviceResponse bytes | median /CPU-s | CPU µs per response |',
    '| --- | ---: | ---: | ---: |',
    ...r.scaling.verify.map(
      (s) => `| ${s.label} | ${n0(s.bytes)} | ${n0(s.perSecond)} | ${s.microseconds.toFixed(0)} |`,
    ),
    '',
    marginal(r),
    '',
    'Issuance at 1, 10 and 50 elements uses a generic docType (the mDL schema requires its 11 mandatory elements); the last ' +
      'row is the reference mDL with a 100 KiB portrait.',
    '',
    '| Issue | median /CPU-s | CPU µs per document |',
    '| --- | ---: | ---: |',
    ...r.scaling.issue.map((s) => `| ${s.label} | ${n0(s.perSecond)} | ${s.microseconds.toFixed(0)} |`),
    '',
    '## Batch issuance through KMS',
    '',
    `\`issueBatch\` of ${r.batch[0]?.batchSize ?? 0} reference MSOs (a fresh device key each) signed by the KMS signer ` +
      '(`createKmsSigner`, `MessageType: DIGEST`) through the real `@aws-sdk/client-kms` against the project emulator running in ' +
      `its own process with ${r.method.kmsLatencyMs} ms added to every call (standing in for the network round trip; real KMS ` +
      'latency and the account quota — ECC Sign 1,000 requests/s by default — set the ceiling in production). ' +
      `Wall-clock MSOs per second, median of ${r.method.batchRounds} batches.`,
    '',
    '| In flight | MSOs/s | min–max | Sign requests per MSO |',
    '| ---: | ---: | --- | ---: |',
    ...r.batch
      .filter((b) => b.faults === undefined)
      .map(
        (b) =>
          `| ${b.concurrency} | ${n0(b.perSecond)} | ${n0(b.min)}–${n0(b.max)} | ${b.signAttemptsPerMso.toFixed(3)} |`,
      ),
    '',
    ...batchFaultLines(r),
    ...PROFILE_NOTES,
  );
  return `${lines.join('\n')}\n`;
}

/** The faulted batch: throughput against the clean run at the same in-flight bound, and the attempts per MSO. */
function batchFaultLines(r: BenchResults): string[] {
  const faulted = r.batch.filter((b) => b.faults !== undefined);
  if (faulted.length === 0) return [];
  const f = faulted[0]!.faults!;
  const retry = faulted[0]!.retry;
  return [
    `With ${100 * f.throttleRate} % of Sign calls answered ThrottlingException and ${100 * f.resetRate} % of their ` +
      'connections reset (the emulator injects both, seeded), the same batch: the SDK retry strategy is the one retry ' +
      'layer (jittered back-off, retry budget), `issueBatch` retries nothing itself, so Sign requests per MSO stay ' +
      'near 1 / (1 − fault rate) and no MSO is lost' +
      (retry === undefined
        ? '.'
        : ` — with the client sized as docs/aws.md advises a batch issuer (\`mode: '${retry.mode}'\`, \`maxAttempts: ${retry.maxAttempts}\`, ` +
          `\`retryBudget: ${n0(retry.retryBudget)}\`; the defaults lose MSOs at this fault rate, and the adaptive rate limiter cannot find a rate the emulator's fixed throttle share spares).`),
    '',
    '| In flight | MSOs/s | vs no faults | Sign requests per MSO |',
    '| ---: | ---: | ---: | ---: |',
    ...faulted.map((b) => {
      const clean = r.batch.find((c) => c.faults === undefined && c.concurrency === b.concurrency);
      const ratio = clean === undefined ? '–' : `${(100 * (b.perSecond / clean.perSecond)).toFixed(0)} %`;
      return `| ${b.concurrency} | ${n0(b.perSecond)} | ${ratio} | ${b.signAttemptsPerMso.toFixed(3)} |`;
    }),
    '',
  ];
}
