import { applyDocumentFrame, DOCUMENT_ACCEPT, type DocumentsClient, type DocumentView } from '../documents';
import type { DocumentFrame } from '../../../lambdas/domain/knowledge/documents';
import { t } from '../i18n';
import { h, reconcile, replaceChildren, setText } from './dom';

/** An agent a document may be kept for. */
export interface DocumentAgent {
  readonly handle: string;
  readonly displayName: string;
}

/**
 * The Documents tab: the room's documents with their live status, and for
 * owners and moderators an upload form (a new document, or the next
 * version of one chosen with *Replace*), an optional agent scope, and
 * deletion with a confirmation in the row. Members see the list (names and
 * statuses; Parley keeps failure reasons for managers) and read it again
 * when they open the tab, as status frames go to managers only. Statuses
 * are announced in a live region; errors stand next to the form.
 */
export class DocumentsView {
  readonly element: HTMLElement;
  private readonly intro: HTMLParagraphElement;
  private readonly form: HTMLFormElement;
  private readonly file: HTMLInputElement;
  private readonly scope: HTMLSelectElement;
  private readonly scopeRow: HTMLDivElement;
  private readonly submit: HTMLButtonElement;
  private readonly replacingNote: HTMLDivElement;
  private readonly error: HTMLParagraphElement;
  private readonly announcer: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private documents: DocumentView[] = [];
  private roomId: string | undefined;
  private canManage = false;
  private agents: readonly DocumentAgent[] = [];
  private replacing: DocumentView | undefined;
  private confirming: string | undefined;
  private loaded = false;
  /** Bumped on every reading of the list, so an older answer is dropped. */
  private generation = 0;

  constructor(private readonly client: DocumentsClient) {
    const strings = t().documents;
    this.intro = h('p', { className: 'hint' });
    this.file = h('input', { id: 'documents-file', name: 'file', type: 'file', accept: DOCUMENT_ACCEPT });
    this.scope = h('select', { id: 'documents-scope', name: 'agentId' });
    this.scopeRow = h('div', { className: 'field' }, h('label', { for: 'documents-scope' }, strings.scope), this.scope);
    this.submit = h('button', { type: 'submit' }, strings.upload);
    this.replacingNote = h('div', { className: 'hint documents-replacing', hidden: true });
    this.error = h('p', { className: 'form-error', role: 'alert', id: 'documents-error' });
    this.form = h(
      'form',
      { className: 'documents-form', 'aria-labelledby': 'documents-title', 'aria-describedby': 'documents-error', novalidate: true },
      this.replacingNote,
      h('div', { className: 'field' }, h('label', { for: 'documents-file' }, strings.file), this.file),
      this.scopeRow,
      this.submit,
      this.error,
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.upload();
    });
    this.announcer = h('p', { className: 'hint', role: 'status', 'aria-live': 'polite' });
    this.list = h('ul', { className: 'tool-list documents-list', 'aria-labelledby': 'documents-title' });
    this.empty = h('p', { className: 'hint' }, strings.loading);
    this.element = h(
      'section',
      { className: 'documents', 'aria-labelledby': 'documents-title' },
      h('h2', { id: 'documents-title' }, strings.title),
      this.intro,
      this.form,
      this.announcer,
      this.empty,
      this.list,
    );
  }

  /** Who is looking and which agents a document may be kept for; cheap when nothing changed. */
  render(roomId: string, canManage: boolean, agents: readonly DocumentAgent[]): void {
    const roomChanged = roomId !== this.roomId;
    if (roomChanged) {
      this.roomId = roomId;
      this.documents = [];
      this.loaded = false;
      this.replacing = undefined;
      this.confirming = undefined;
      setText(this.error, '');
      setText(this.announcer, '');
    }
    const agentsChanged = agents.length !== this.agents.length || agents.some((a, i) => a.handle !== this.agents[i]?.handle);
    if (!roomChanged && !agentsChanged && canManage === this.canManage) return;
    this.canManage = canManage;
    this.agents = agents;
    setText(this.intro, canManage ? t().documents.intro : `${t().documents.intro} ${t().documents.memberHint}`);
    this.form.hidden = !canManage;
    if (agentsChanged || roomChanged) {
      const chosen = this.scope.value;
      replaceChildren(
        this.scope,
        h('option', { value: '' }, t().documents.allAgents),
        ...agents.map((agent) => h('option', { value: agent.handle, selected: agent.handle === chosen }, `${agent.displayName} (@${agent.handle})`)),
      );
    }
    this.scopeRow.hidden = agents.length === 0 || this.replacing !== undefined;
    this.show();
  }

  /** Reads the room's documents (when the tab is shown). */
  async load(roomId: string): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    const answer = await this.client.list(roomId);
    if (generation !== this.generation || roomId !== this.roomId) return;
    this.loaded = true;
    if (answer.ok) this.documents = answer.value;
    else setText(this.error, answer.error);
    this.show();
  }

  /** A documentStatus or documentDeleted frame: the list follows it, and the status is announced. */
  receive(frame: DocumentFrame): void {
    if (frame.roomId !== this.roomId) return;
    const name = frame.type === 'documentStatus' ? frame.name : this.documents.find((d) => d.documentId === frame.documentId)?.name;
    if (name !== undefined) {
      setText(
        this.announcer,
        frame.type === 'documentStatus' ? t().documents.statusOf(name, t().documents.statuses[frame.status]) : t().documents.deleted(name),
      );
    }
    if (!this.loaded) return;
    const next = applyDocumentFrame(this.documents, frame);
    if (next === undefined) {
      void this.load(frame.roomId);
      return;
    }
    this.documents = next;
    if (frame.type === 'documentDeleted' && this.replacing?.documentId === frame.documentId) this.stopReplacing();
    this.show();
  }

  private async upload(): Promise<void> {
    const roomId = this.roomId;
    const chosen = this.file.files?.[0];
    if (roomId === undefined) return;
    if (chosen === undefined) {
      setText(this.error, t().documents.chooseFile);
      this.file.focus();
      return;
    }
    setText(this.error, '');
    setText(this.announcer, t().documents.uploading(chosen.name));
    this.submit.disabled = true;
    const replacing = this.replacing;
    // A replacement keeps the document's agent (Parley's rule): the scope is offered for new documents only.
    const answer = await this.client.upload(
      roomId,
      chosen,
      replacing !== undefined ? { documentId: replacing.documentId } : this.scope.value !== '' ? { agentId: this.scope.value } : {},
    );
    this.submit.disabled = false;
    if (roomId !== this.roomId) return;
    if (!answer.ok) {
      setText(this.error, answer.error);
      setText(this.announcer, '');
      return;
    }
    const granted = answer.value;
    // Frames may have told of it already (and of later statuses): the newer word stays.
    const listed = this.documents.find((d) => d.documentId === granted.documentId);
    if (listed === undefined) this.documents = [...this.documents, granted];
    else if (listed.version < granted.version) this.documents = this.documents.map((d) => (d.documentId === granted.documentId ? granted : d));
    this.file.value = '';
    this.stopReplacing();
    this.show();
  }

  private startReplacing(document: DocumentView): void {
    this.replacing = document;
    this.confirming = undefined;
    const cancel = h('button', { type: 'button', onclick: () => this.stopReplacing() }, t().documents.cancel);
    replaceChildren(this.replacingNote, h('span', {}, t().documents.replacing(document.name)), ' ', cancel);
    this.replacingNote.hidden = false;
    this.scopeRow.hidden = true;
    setText(this.submit, t().documents.replace);
    this.show();
    this.file.focus();
  }

  private stopReplacing(): void {
    this.replacing = undefined;
    this.replacingNote.hidden = true;
    this.scopeRow.hidden = this.agents.length === 0;
    replaceChildren(this.replacingNote);
    setText(this.submit, t().documents.upload);
    this.show();
  }

  private async remove(document: DocumentView): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    this.confirming = undefined;
    setText(this.error, '');
    const answer = await this.client.remove(roomId, document.documentId);
    if (roomId !== this.roomId) return;
    if (!answer.ok) {
      setText(this.error, answer.error);
    } else {
      this.documents = this.documents.filter((d) => d.documentId !== document.documentId);
      setText(this.announcer, t().documents.deleted(document.name));
      if (this.replacing?.documentId === document.documentId) this.stopReplacing();
    }
    this.show();
  }

  private show(): void {
    const strings = t().documents;
    this.empty.hidden = this.loaded && this.documents.length > 0;
    setText(this.empty, this.loaded ? strings.none : strings.loading);
    reconcile(
      this.list,
      this.documents,
      // A row is drawn again whenever what it shows changes.
      (d) =>
        [d.documentId, d.version, d.status, d.reason ?? '', d.chunks ?? '', d.agentId ?? '', this.canManage, this.confirming === d.documentId, this.replacing?.documentId === d.documentId].join('\u0000'),
      (d) => this.row(d),
      () => undefined,
    );
  }

  private row(document: DocumentView): HTMLLIElement {
    const strings = t().documents;
    const details = [
      strings.statuses[document.status],
      `v${document.version}`,
      document.agentId !== undefined ? strings.forAgent(document.agentId) : undefined,
      document.status === 'ready' && document.chunks !== undefined ? strings.passages(document.chunks) : undefined,
    ].filter((part): part is string => part !== undefined);
    const item = h(
      'li',
      { className: 'tool-item document-item', 'data-status': document.status, 'data-document-id': document.documentId },
      h('p', { className: 'document-name' }, document.name),
      h('p', { className: 'tool-meta document-status' }, details.join(' · ')),
      document.reason !== undefined ? h('p', { className: 'form-error' }, document.reason) : undefined,
    );
    if (!this.canManage) return item;
    if (this.confirming === document.documentId) {
      const questionId = `document-question-${document.documentId}`;
      const confirm = h('button', { type: 'button', onclick: () => void this.remove(document) }, strings.delete);
      const keep = h(
        'button',
        {
          type: 'button',
          onclick: () => {
            this.confirming = undefined;
            this.show();
          },
        },
        strings.keep,
      );
      item.append(h('div', { className: 'tool-actions', role: 'group', 'aria-labelledby': questionId }, h('p', { id: questionId }, strings.confirmDelete(document.name)), confirm, keep));
      queueMicrotask(() => keep.focus());
      return item;
    }
    item.append(
      h(
        'div',
        { className: 'tool-actions' },
        h('button', { type: 'button', 'aria-label': strings.replaceLabel(document.name), onclick: () => this.startReplacing(document) }, strings.replace),
        h(
          'button',
          {
            type: 'button',
            'aria-label': strings.deleteLabel(document.name),
            onclick: () => {
              this.confirming = document.documentId;
              this.show();
            },
          },
          strings.delete,
        ),
      ),
    );
    return item;
  }
}
