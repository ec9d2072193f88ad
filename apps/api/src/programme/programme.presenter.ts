import type { OrderForecast, TestStrategy } from '@snitflow/programme';
import type { SupplierResponseStatsModel } from '../suppliers/supplier-stats.models.js';
import type {
  GoLiveForecastModel,
  ProgrammeForecastModel,
  StatusReportModel,
  TestStrategyModel,
} from './programme.models.js';
import type { ProgrammeProjectForecast, StatusReport } from './programme.service.js';
import type { ProgrammeData } from './programme-data.js';

/**
 * Turns the programme's figures (ids) into the API's shapes (references, keys, codes, names), so
 * a report reads without further look-ups and stays flat under the query depth limit.
 */
export class ProgrammePresenter {
  private readonly orders: Map<string, ProgrammeData['orders'][number]>;
  private readonly projects: Map<string, ProgrammeData['projects'][number]>;
  private readonly suppliers: Map<string, ProgrammeData['suppliers'][number]>;

  constructor(data: ProgrammeData) {
    this.orders = new Map(data.orders.map((order) => [order.id, order]));
    this.projects = new Map(data.projects.map((project) => [project.id, project]));
    this.suppliers = new Map(data.suppliers.map((supplier) => [supplier.id, supplier]));
  }

  private ref(orderId: string) {
    const order = this.orders.get(orderId);
    return { orderId, reference: order?.reference ?? '', interfaceKey: order?.interfaceKey ?? '' };
  }

  projectCode(projectId: string): string {
    return this.projects.get(projectId)?.code ?? projectId;
  }

  supplierName(supplierId: string): string {
    return this.suppliers.get(supplierId)?.name ?? supplierId;
  }

  forecast(forecast: OrderForecast, state?: string): GoLiveForecastModel {
    return {
      ...this.ref(forecast.orderId),
      state: state ?? this.orders.get(forecast.orderId)?.state ?? '',
      status: forecast.status as GoLiveForecastModel['status'],
      expectedLiveDate: forecast.expectedLiveDate,
      needBy: forecast.needBy,
      lateForNeedBy: forecast.lateForNeedBy,
      steps: forecast.steps.map((step) => ({
        state: step.state,
        supplierId: step.supplierId,
        businessDays: step.businessDays,
        typicalBusinessDays: step.typical.businessDays,
        source: step.typical.source as GoLiveForecastModel['steps'][number]['source'],
        samples: step.typical.samples,
        expectedEnd: step.expectedEnd,
      })),
    };
  }

  programmeForecast(orders: OrderForecast[], projects: ProgrammeProjectForecast[]): ProgrammeForecastModel {
    return {
      orders: orders.map((forecast) => this.forecast(forecast)),
      projects: projects.map((project) => ({
        ...project,
        projectCode: this.projectCode(project.projectId),
        projectName: this.projects.get(project.projectId)?.name ?? '',
      })),
    };
  }

  testStrategy(strategy: TestStrategy): TestStrategyModel {
    return {
      testedByMoreThanOneProject: strategy.testedByMoreThanOneProject.map((candidate) => ({
        ...this.ref(candidate.orderId),
        state: candidate.state,
        projectCodes: candidate.projectIds.map((id) => this.projectCode(id)),
        mode: candidate.mode as TestStrategyModel['testedByMoreThanOneProject'][number]['mode'],
        sharedTestWouldDo: candidate.sharedTestWouldDo,
        differingElements: candidate.differingElements,
      })),
      nearTestWithoutResponsible: strategy.nearTestWithoutResponsible.map((order) => ({
        ...this.ref(order.orderId),
        state: order.state,
      })),
      overlappingWindows: strategy.overlappingWindows.map((overlap) => ({
        projectCode: this.projectCode(overlap.projectId),
        first: overlap.first,
        second: overlap.second,
        overlapStart: overlap.overlapStart,
        overlapEnd: overlap.overlapEnd,
      })),
      loadPerMonth: strategy.loadPerMonth.map((load) => ({
        projectCode: this.projectCode(load.projectId),
        month: load.month,
        tests: load.tests,
        interfaceKeys: load.interfaceKeys,
      })),
    };
  }

  statusReport(report: StatusReport, answerTimes: SupplierResponseStatsModel[]): StatusReportModel {
    const happenings = (list: StatusReport['sinceLastTime']['consolidated']) =>
      list.map((happening) => ({
        ...this.ref(happening.orderId),
        at: happening.at,
        detail: happening.detail,
      }));
    const since = report.sinceLastTime;
    return {
      since: report.since,
      until: report.until,
      generatedAt: report.generatedAt,
      sinceLastTime: {
        requestsReceived: since.requestsReceived,
        requestsChanged: since.requestsChanged,
        requestsWithdrawn: since.requestsWithdrawn,
        requestsApproved: since.requestsApproved,
        requestsSentBack: since.requestsSentBack,
        requestsRejected: since.requestsRejected,
        consolidated: happenings(since.consolidated),
        sentToSupplier: happenings(since.sentToSupplier),
        agreed: happenings(since.agreed),
        declined: happenings(since.declined),
        planBsStarted: since.planBsStarted.map((planB) => ({
          ...this.ref(planB.orderId),
          at: planB.at,
          detail: planB.detail,
          kind: planB.kind,
          declineReason: planB.declineReason,
          fromState: planB.fromState,
        })),
        testsStarted: happenings(since.testsStarted),
        testsPassed: happenings(since.testsPassed),
        wentLive: happenings(since.wentLive),
        cancelled: happenings(since.cancelled),
        deadlinesMissed: report.deadlinesMissed.map((miss) => ({
          orderId: miss.orderId,
          reference: miss.reference,
          interfaceKey: miss.interfaceKey,
          state: miss.state,
          dueAt: miss.dueAt,
          supplierName: miss.supplierId ? this.supplierName(miss.supplierId) : null,
        })),
      },
      ordersByState: report.ordersByState.map(({ key, count }) => ({ state: key, count })),
      ordersByCategory: report.ordersByCategory.map(({ key, count }) => ({
        category: key as StatusReportModel['ordersByCategory'][number]['category'],
        count,
      })),
      consolidation: report.consolidation,
      overdueBySupplier: report.overdueBySupplier.map(({ key, count }) => ({
        supplierId: key,
        supplierName: this.supplierName(key),
        count,
      })),
      overdueByBall: report.overdueByBall.map(({ key, count }) => ({
        ballInCourt: key as StatusReportModel['overdueByBall'][number]['ballInCourt'],
        count,
      })),
      supplierAnswerTimes: answerTimes
        .filter((stats) => stats.answered > 0)
        .map((stats) => ({
          supplierId: stats.supplier.id,
          supplierName: stats.supplier.name,
          answered: stats.answered,
          medianBusinessDays: stats.medianBusinessDays,
          p90BusinessDays: stats.p90BusinessDays,
        })),
      forecast: this.programmeForecast(report.forecasts, report.projectForecasts),
      testStrategy: this.testStrategy(report.testStrategy),
    };
  }
}
