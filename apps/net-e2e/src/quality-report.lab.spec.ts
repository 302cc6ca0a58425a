import { labAvailable } from '@mesh-meet/net-lab';
import { type MeetingReport, meetingReportSchema, type ReportSummary } from '@mesh-meet/protocol';
import { CHROMIUM, describeIf, haveBinaries } from '@mesh-meet/testing';
import { createMeeting, joinMeeting, pollUntil, waitForFramesFromAll, waitForTiles } from '@mesh-meet/testing/meeting-ui';
import type { Page } from 'playwright-core';
import { hostApiGet } from './support/host-api';
import { labSuite } from './support/lab-suite';

/*
 * Issue 11's lab case: the host's meeting report names the cause of trouble.
 * Kumi, one of three, sits behind a narrow, lossy uplink; the report's
 * summary must blame Kumi's uplink, and nobody else's.
 */
const available = labAvailable('network lab: the meeting report (apps/net-e2e)') && haveBinaries('network lab: the meeting report', [CHROMIUM]);

/**
 * Narrow and lossy enough that the summary's thresholds are crossed on every
 * window, not now and then: loss counts from 5% (quality-summary.ts's LOSSY),
 * so 5% dropped would hover on the line.
 */
const NARROW_UPLINK_KBIT = 400;
const UPLINK_LOSS_PERCENT = 10;
/** Browsers send a sample per link every 10 s; the summary needs two windows in a row: a few rounds and the server's flush. */
const REPORT_WAIT_MS = 90_000;
/** The kinds of finding that put the blame on someone's own network. */
const OWN_NETWORK_FINDINGS = ['uplink-loss', 'downlink-loss'];

/** The report as the host's browser reads it (the lab's server is reached from inside the lab). */
async function reportFromHostPage(host: Page, hostUrl: string): Promise<MeetingReport> {
  return meetingReportSchema.parse(await hostApiGet(host, hostUrl, 'report'));
}

function summaryOf(report: MeetingReport, name: string): ReportSummary | undefined {
  return report.summaries.find((summary) => summary.name === name);
}

/** Whether the summary blames this person's uplink: limited by bandwidth, or the others losing their packets. */
function blamesUplink(summary: ReportSummary | undefined): boolean {
  return !!summary?.findings.some((finding) => finding.kind === 'uplink-loss' || (finding.kind === 'uplink-limited' && finding.cause === 'bandwidth'));
}

describeIf(available)('the meeting report in the network lab', () => {
  const suite = labSuite();

  it('names the guest behind a narrow, lossy uplink as the cause, and blames nobody else’s network for loss', async () => {
    const [app, hana, kumi, ken] = await Promise.all([
      suite.server(true),
      suite.person('home', 'hana'),
      suite.person('home', 'kumi'),
      suite.person('home', 'ken'),
    ]);
    const { hostUrl, guestUrl } = await createMeeting(hana.page, app.url, 'Lab report');
    await joinMeeting(hana.page, hostUrl, 'Hana');
    await joinMeeting(kumi.page, guestUrl, 'Kumi');
    await joinMeeting(ken.page, guestUrl, 'Ken');
    const everyone = [hana, kumi, ken];
    for (const person of everyone) await waitForTiles(person.page, 2, 30_000);
    for (const person of everyone) await waitForFramesFromAll(person.page, 5, 40_000);

    const lab = suite.lab();
    lab.setRateCap(kumi.network, 'uplink', NARROW_UPLINK_KBIT);
    lab.setLoss(kumi.network, { uplinkPercent: UPLINK_LOSS_PERCENT });
    const impaired = Date.now();

    // Two sample windows of every link from Kumi after the impairment: the summary of a
    // single window has one measure of loss per receiver, and measured loss wanders.
    const windowsAfter = (read: MeetingReport) =>
      read.links
        .filter((candidate) => candidate.from === 'Kumi')
        .map((candidate) => candidate.samples.filter((sample) => Date.parse(sample.at) - sample.windowSec * 1000 >= impaired).length);
    const report = await pollUntil(
      () => reportFromHostPage(hana.page, hostUrl),
      (read) => blamesUplink(summaryOf(read, 'Kumi')) && windowsAfter(read).length === 2 && windowsAfter(read).every((count) => count >= 2),
      REPORT_WAIT_MS,
    );
    expect(windowsAfter(report).every((count) => count >= 2)).toBe(true);
    console.log(`report lab: after ${Date.now() - impaired} ms the summaries say:\n${report.summaries.map((summary) => `  ${summary.text}`).join('\n')}`);
    const kumiSummary = summaryOf(report, 'Kumi');
    expect(blamesUplink(kumiSummary)).toBe(true);
    expect(kumiSummary?.text).toMatch(/Kumi's uplink/);
    // Hana and Ken are on clean networks: no finding puts the trouble on their own uplink or downlink,
    // and the loss they saw on Kumi's media is not called the path between them and Kumi.
    for (const name of ['Hana', 'Ken']) {
      const summary = summaryOf(report, name);
      expect(summary).toBeDefined();
      expect(summary?.findings.filter((finding) => OWN_NETWORK_FINDINGS.includes(finding.kind))).toEqual([]);
      // Not asserted: a bandwidth limitation of Hana's or Ken's. Under CI's load (other suites beside the lab)
      // their browsers' own estimates dropped on clean links too (one run of .ci/run: Ken "limited by
      // bandwidth" on both links); the summary reports what the browsers said, and the load is not the product's.
      expect(summary?.findings.filter((finding) => finding.kind === 'link-loss')).toEqual([]);
    }

    // The host's report page says the same, in Kumi's summary.
    const page = await hana.page.context().newPage();
    await page.goto(new URL(`/r/${report.room.roomId}/report`, app.url).toString());
    const shown = page.locator('[data-testid="quality-summary"][data-name="Kumi"]');
    await shown.waitFor({ timeout: 60_000 });
    // The page writes a typographic apostrophe.
    expect(await shown.textContent()).toMatch(/Kumi['’]s uplink/);
  }, 300_000);
});
