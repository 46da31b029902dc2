import { parseCertificate } from '@mdlkit/pki';
import { inspectMdoc } from '@mdlkit/reader/inspect';
import { type HtmlReportInput, renderHtmlReport } from './html-report.js';
import { checkWritable, writeOutputFile } from './output-file.js';

/** Writes `verify --html FILE` (refusing an existing file without `--force`). */
export async function writeHtmlReport(options: {
  readonly file: string;
  readonly force: boolean;
  readonly report: HtmlReportInput['report'];
  readonly response: Uint8Array;
  readonly anchors: readonly { readonly der: Uint8Array }[];
  readonly now: Date;
  readonly policy: string;
  readonly responseFile: string;
}): Promise<void> {
  checkWritable(options.file, { force: options.force, option: '--html' });
  let inspection: HtmlReportInput['inspection'];
  try {
    inspection = inspectMdoc(options.response, { now: options.now });
  } catch {
    inspection = undefined;
  }
  const anchors = options.anchors.map(({ der }) => {
    try {
      return parseCertificate(der).subject.text;
    } catch {
      return '(unreadable certificate)';
    }
  });
  const html = renderHtmlReport({
    report: options.report,
    ...(inspection === undefined ? {} : { inspection }),
    anchors,
    now: options.now,
    policy: options.policy,
    file: options.responseFile,
  });
  writeOutputFile(options.file, html, { force: options.force, option: '--html' });
}
