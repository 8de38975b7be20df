// What every demo section exports: a title and a run() that reports whether its check passed.
export interface SectionResult {
  /** Did the section's check (e.g. "test loss < 0.01") hold? */
  ok: boolean;
  /** One line for the demo's closing summary. */
  summary: string;
}

export interface Section {
  title: string;
  run(): Promise<SectionResult>;
}
