import { BusinessCalendar } from '@snitflow/calendar';
import type { Language } from '@snitflow/mail';
import { barChart } from '@snitflow/programme';
import type { StatusReportModel } from './programme.models.js';
import type { Playbook } from './programme.service.js';

const calendar = new BusinessCalendar();

/** An instant as its local date in Copenhagen (YYYY-MM-DD), for `format_date` in the page. */
const localDate = (instant: Date) => calendar.localDate(instant);

type Happening = { reference: string; interfaceKey: string; at: Date; detail: string | null };

/**
 * The data the status report page (libs/pages/templates/programme-report) is rendered from:
 * plain values only — the template writes every word (labels) and all markup, including the
 * SVG charts drawn from `barChart` geometry.
 */
export function reportPageData(
  report: StatusReportModel,
  playbook: Playbook,
  language: Language,
  basePath: string,
): Record<string, unknown> {
  const query = (lang: Language) =>
    `${basePath}/report?since=${report.since}&until=${report.until}&lang=${lang}`;
  const happenings = (list: Happening[]) =>
    list.map((item) => ({
      reference: item.reference,
      interfaceKey: item.interfaceKey,
      date: localDate(item.at),
      detail: item.detail ?? '',
    }));
  const since = report.sinceLastTime;
  const lists = [
    ['consolidated', since.consolidated],
    ['sentToSupplier', since.sentToSupplier],
    ['agreed', since.agreed],
    ['declined', since.declined],
    ['testsStarted', since.testsStarted],
    ['testsPassed', since.testsPassed],
    ['wentLive', since.wentLive],
    ['cancelled', since.cancelled],
  ] as const;
  return {
    since: report.since,
    until: report.until,
    generatedDate: localDate(report.generatedAt),
    otherLanguage: language === 'da' ? 'en' : 'da',
    otherLanguageUrl: query(language === 'da' ? 'en' : 'da'),
    csvUrl: `${basePath}/matrix.csv`,
    xlsxUrl: `${basePath}/matrix.xlsx`,
    requestCounts: [
      { key: 'requestsReceived', value: since.requestsReceived },
      { key: 'requestsChanged', value: since.requestsChanged },
      { key: 'requestsApproved', value: since.requestsApproved },
      { key: 'requestsSentBack', value: since.requestsSentBack },
      { key: 'requestsRejected', value: since.requestsRejected },
      { key: 'requestsWithdrawn', value: since.requestsWithdrawn },
    ],
    orderCounts: [
      ...lists.map(([key, list]) => ({ key, value: list.length })),
      { key: 'planBsStarted', value: since.planBsStarted.length },
      { key: 'deadlinesMissed', value: since.deadlinesMissed.length },
    ],
    happenings: lists
      .filter(([, list]) => list.length > 0)
      .map(([key, list]) => ({ key, items: happenings(list) })),
    planBs: since.planBsStarted.map((planB) => ({
      reference: planB.reference,
      interfaceKey: planB.interfaceKey,
      date: localDate(planB.at),
      kind: planB.kind,
      description: planB.detail ?? '',
      declineReason: planB.declineReason ?? '',
    })),
    missed: since.deadlinesMissed.map((miss) => ({
      reference: miss.reference,
      interfaceKey: miss.interfaceKey,
      state: miss.state,
      date: localDate(miss.dueAt),
      supplierName: miss.supplierName ?? '',
    })),
    consolidation: report.consolidation,
    stateChart: barChart(report.ordersByState.map((row) => ({ label: row.state, value: row.count }))),
    categories: report.ordersByCategory.map((row) => ({
      category: row.category ?? 'NONE',
      count: row.count,
    })),
    overdueSupplierChart: barChart(
      report.overdueBySupplier.map((row) => ({ label: row.supplierName, value: row.count })),
    ),
    overdueByBall: report.overdueByBall,
    answerChart: barChart(
      report.supplierAnswerTimes.map((row) => ({
        label: row.supplierName,
        value: row.medianBusinessDays ?? 0,
        marker: row.p90BusinessDays,
      })),
    ),
    answerTimes: report.supplierAnswerTimes.map((row) => ({
      supplierName: row.supplierName,
      answered: row.answered,
      median: row.medianBusinessDays ?? '',
      p90: row.p90BusinessDays ?? '',
    })),
    strategy: report.testStrategy,
    projects: report.forecast.projects.map((project) => ({
      code: project.projectCode,
      name: project.projectName,
      allLiveBy: project.allLiveBy ?? '',
      orders: project.orders,
      late: project.late,
      withoutForecast: project.withoutForecast,
    })),
    lateOrders: report.forecast.orders
      .filter((order) => order.lateForNeedBy)
      .map((order) => ({
        reference: order.reference,
        interfaceKey: order.interfaceKey,
        state: order.state,
        needBy: order.needBy ?? '',
        expectedLiveDate: order.expectedLiveDate ?? '',
      })),
    forecastSources: report.forecast.orders
      .flatMap((order) => order.steps)
      .reduce(
        (counts, step) => {
          counts[step.source] = (counts[step.source] ?? 0) + 1;
          return counts;
        },
        {} as Record<string, number>,
      ),
    projectColumns: playbook.projectColumns.map((column) => column.code),
    playbook: playbook.rows.map((row) => ({
      ...row,
      reference: row.reference ?? '',
      state: row.state ?? '',
      ballInCourt: row.ballInCourt ?? '',
      dueDate: row.dueDate ?? '',
      category: row.category ?? '',
      expectedLiveDate: row.expectedLiveDate ?? '',
      needBy: row.needBy ?? '',
    })),
  };
}
