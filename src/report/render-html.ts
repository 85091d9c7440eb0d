import type { ReportData } from './report-data.js';
export function renderReportHtml(report: ReportData): string {
  return JSON.stringify(report);
}
