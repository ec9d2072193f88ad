import type { Language } from '@snitflow/mail';
import type { PageData } from '@snitflow/pages';
import type { StoredSettlement } from './settlement.store.js';

/**
 * The data of a municipality's statement page (libs/pages/templates/statement/page.liquid):
 * its lines of one quarter with the basis of each share, and the totals. Money stays integer
 * øre as decimal strings (the template formats it); counts are formatted here for the
 * language. Returns null when the municipality has no line in that quarter.
 */
export function statementData(
  settlement: StoredSettlement,
  municipality: { code: string; name: string },
  areas: ReadonlyMap<string, { name: string; interfaceKeys: readonly string[] }>,
  language: Language,
): PageData | null {
  const lines = settlement.lines.filter((line) => line.municipalityCode === municipality.code);
  if (lines.length === 0) return null;
  const count = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB');
  const totalsByArea = new Map(settlement.areaTotals.map((total) => [total.dataAreaCode, total]));
  const sum = (pick: (line: (typeof lines)[number]) => bigint) =>
    lines.reduce((total, line) => total + pick(line), 0n).toString();
  return {
    municipality: { code: municipality.code, name: municipality.name },
    year: settlement.year,
    quarter: settlement.quarter,
    closed: settlement.closed,
    // The day it was closed in Copenhagen (sv-SE writes dates as YYYY-MM-DD).
    closedOn: settlement.closedAt
      ? settlement.closedAt.toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' })
      : '',
    trueUpYear: settlement.year - 1,
    totals: {
      fixedOere: sum((l) => l.fixedOere),
      variableOere: sum((l) => l.variableOere),
      trueUpOere: sum((l) => l.trueUpOere),
      totalOere: sum((l) => l.totalOere),
    },
    areas: lines.map((line) => {
      const total = totalsByArea.get(line.dataAreaCode);
      const area = areas.get(line.dataAreaCode);
      const quarterFixed = total?.fixedOere ?? 0n;
      return {
        code: line.dataAreaCode,
        name: area?.name ?? line.dataAreaCode,
        interfaceKeys: (area?.interfaceKeys ?? []).join(', '),
        fixedOere: line.fixedOere.toString(),
        variableOere: line.variableOere.toString(),
        trueUpOere: line.trueUpOere.toString(),
        totalOere: line.totalOere.toString(),
        inhabitants: count.format(line.inhabitants),
        totalInhabitants: count.format(total?.inhabitants ?? 0n),
        quarterFixedOere: quarterFixed.toString(),
        yearlyFixedOere: (total?.yearlyFixedOere ?? 0n).toString(),
        lookups: count.format(line.lookups),
        totalLookups: count.format(total?.lookups ?? 0n),
        quarterVariableOere: (total?.quarterVariableOere ?? 0n).toString(),
        yearlyVariableOere: (total?.yearlyVariableOere ?? 0n).toString(),
        variableDeferred: total?.variableDeferred ?? false,
        trueUp: line.trueUp
          ? {
              realisedShareOere: line.trueUp.realisedShareOere.toString(),
              billedOere: line.trueUp.billedOere.toString(),
              settledBeforeOere: line.trueUp.settledBeforeOere.toString(),
              // The words say charged or credited, so the amount is shown without its sign.
              amountOere: (line.trueUpOere < 0n ? -line.trueUpOere : line.trueUpOere).toString(),
              direction: line.trueUpOere > 0n ? 'charge' : line.trueUpOere < 0n ? 'credit' : 'none',
            }
          : null,
      };
    }),
  };
}
