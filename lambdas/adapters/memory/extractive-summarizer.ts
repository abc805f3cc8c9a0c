import type { Summarizer, SummaryDraft, SummaryInput } from '../../domain/memory/ports';
import { DEFAULT_EXTRACTIVE_OPTIONS, extractiveSummary, type ExtractiveOptions } from '../../domain/memory/summary';

/** The offline summarizer: quotes the most salient sentences (see `extractiveSummary`). No model, no I/O. */
export class ExtractiveSummarizer implements Summarizer {
  constructor(private readonly options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS) {}

  async summarize(input: SummaryInput): Promise<SummaryDraft> {
    const { text, lines } = extractiveSummary(
      { ...(input.previous ? { previous: input.previous } : {}), messages: input.messages },
      this.options,
    );
    return { text, lines, producedBy: 'extractive' };
  }
}
