import type { components, operations } from './generated/schema';
import { streamMessages, type StreamMessage } from './stream';

export type Schemas = components['schemas'];
export type Action = Schemas['ActionResponseDto'];
export type Pack = Schemas['PackResponseDto'];
export type Execution = Schemas['ExecutionResponseDto'];
export type OutputChunk = Schemas['OutputChunkDto'];
export type ExecutionUpdate = Schemas['ExecutionUpdateDto'];
export type Health = Schemas['HealthResponseDto'];
export type RunnerType = Schemas['RunnerTypeResponseDto'];
export type RegistrationReport = Schemas['RegistrationReportDto'];
export type SensorType = Schemas['SensorTypeResponseDto'];
export type Policy = Schemas['PolicyResponseDto'];
export type PolicyFilter = NonNullable<operations['getPolicies']['parameters']['query']>;
export type ExecutionFilter = NonNullable<operations['getExecutions']['parameters']['query']>;
export type Rule = Schemas['RuleResponseDto'];
export type RuleFilter = NonNullable<operations['getRules']['parameters']['query']>;
export type TriggerType = Schemas['TriggerTypeResponseDto'];
export type TriggerInstance = Schemas['TriggerInstanceResponseDto'];
export type TriggerInstanceFilter = NonNullable<operations['getTriggerInstances']['parameters']['query']>;
export type RuleEnforcement = Schemas['RuleEnforcementResponseDto'];
export type RuleEnforcementFilter = NonNullable<operations['getRuleEnforcements']['parameters']['query']>;
export type IngestionResult = Schemas['IngestionResponseDto'];
export type Trace = Schemas['TraceResponseDto'];
export type KeyValue = Schemas['KeyValueResponseDto'];
export type Inquiry = Schemas['InquiryDto'];
export type InquiryResponded = Schemas['InquiryRespondedDto'];
export type KeyValueFilter = NonNullable<operations['getKeys']['parameters']['query']>;
export type KeyValueSelector = NonNullable<operations['getKey']['parameters']['query']>;
export type WorkflowInspectionError = Schemas['WorkflowInspectionErrorDto'];
export type WorkflowRunnerType = NonNullable<Schemas['WorkflowInspectionRequestDto']['runner_type']>;

/** An answer other than 2xx, with the server's message (a list of violations for a 400). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(messages.join('; '));
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** Sent as X-Tempest-Client, recorded as the source of executions (e.g. "cli"). */
  clientName?: string;
}

type Query = Record<string, string | number | boolean | Date | undefined>;

/**
 * Typed access to the Tempest API. The types come from the OpenAPI document
 * (src/generated, never edited by hand); this class only shapes the calls.
 */
export class TempestClient {
  constructor(private readonly options: ClientOptions) {}

  health(): Promise<Health> {
    return this.request('GET', '/health');
  }
  listPacks(): Promise<Pack[]> {
    return this.request('GET', '/packs');
  }
  getPack(ref: string): Promise<Pack> {
    return this.request('GET', `/packs/${encodeURIComponent(ref)}`);
  }
  installPack(source: string, ref?: string): Promise<Schemas['PackRegistrationDto']> {
    return this.request('POST', '/packs/install', { body: { source, ref } });
  }
  removePack(ref: string): Promise<void> {
    return this.request('DELETE', `/packs/${encodeURIComponent(ref)}`);
  }
  registerPacks(): Promise<RegistrationReport> {
    return this.request('POST', '/packs/register');
  }
  listActions(pack?: string): Promise<Action[]> {
    return this.request('GET', '/actions', { query: { pack } });
  }
  getAction(ref: string): Promise<Action> {
    return this.request('GET', `/actions/${encodeURIComponent(ref)}`);
  }
  setActionEnabled(ref: string, enabled: boolean): Promise<Action> {
    return this.request('PATCH', `/actions/${encodeURIComponent(ref)}`, { body: { enabled } });
  }
  listSensorTypes(pack?: string): Promise<SensorType[]> {
    return this.request('GET', '/sensortypes', { query: { pack } });
  }
  getSensorType(ref: string): Promise<SensorType> {
    return this.request('GET', `/sensortypes/${encodeURIComponent(ref)}`);
  }
  setSensorTypeEnabled(ref: string, enabled: boolean): Promise<SensorType> {
    return this.request('PATCH', `/sensortypes/${encodeURIComponent(ref)}`, { body: { enabled } });
  }
  listPolicies(filter: PolicyFilter = {}): Promise<Policy[]> {
    return this.request('GET', '/policies', { query: filter });
  }
  getPolicy(ref: string): Promise<Policy> {
    return this.request('GET', `/policies/${encodeURIComponent(ref)}`);
  }
  listRunnerTypes(): Promise<RunnerType[]> {
    return this.request('GET', '/runnertypes');
  }
  run(action: string, parameters: Record<string, unknown>): Promise<Execution> {
    return this.request('POST', '/executions', { body: { action, parameters } });
  }
  listExecutions(filter: ExecutionFilter = {}): Promise<Execution[]> {
    return this.request('GET', '/executions', { query: filter as Query });
  }
  getExecution(id: string): Promise<Execution> {
    return this.request('GET', `/executions/${encodeURIComponent(id)}`);
  }
  /** The executions it started (a workflow's tasks), oldest first. */
  listChildren(id: string): Promise<Execution[]> {
    return this.request('GET', `/executions/${encodeURIComponent(id)}/children`);
  }
  getOutput(id: string, after?: string, waitSeconds?: number): Promise<{ status: string; chunks: OutputChunk[] }> {
    return this.request('GET', `/executions/${encodeURIComponent(id)}/output`, { query: { after, wait: waitSeconds } });
  }
  cancelExecution(id: string): Promise<Execution> {
    return this.request('DELETE', `/executions/${encodeURIComponent(id)}`);
  }
  /** PUT /executions/{id} as StackStorm's: `pausing` pauses a workflow, `resuming` resumes it. */
  updateExecution(id: string, status: ExecutionUpdate['status']): Promise<Execution> {
    return this.request('PUT', `/executions/${encodeURIComponent(id)}`, { body: { status } });
  }
  /** Runs it again; a failed Orquesta workflow from `tasks` (with-items tasks in `reset`: every item). */
  rerun(id: string, parameters: Record<string, unknown> = {}, from: { tasks?: string[]; reset?: string[] } = {}): Promise<Execution> {
    const tasks = from.tasks?.length ? { tasks: from.tasks, ...(from.reset?.length ? { reset: from.reset } : {}) } : {};
    return this.request('POST', `/executions/${encodeURIComponent(id)}/re_run`, { body: { parameters, ...tasks } });
  }

  listKeys(filter: KeyValueFilter = {}): Promise<KeyValue[]> {
    return this.request('GET', '/keys', { query: filter as Query });
  }
  getKey(name: string, selector: KeyValueSelector = {}): Promise<KeyValue> {
    return this.request('GET', `/keys/${encodeURIComponent(name)}`, { query: selector as Query });
  }
  setKey(name: string, body: Schemas['KeyValueSetDto']): Promise<KeyValue> {
    return this.request('PUT', `/keys/${encodeURIComponent(name)}`, { body });
  }
  deleteKey(name: string, selector: Omit<KeyValueSelector, 'decrypt'> = {}): Promise<void> {
    return this.request('DELETE', `/keys/${encodeURIComponent(name)}`, { query: selector as Query });
  }

  listRules(filter: RuleFilter = {}): Promise<Rule[]> {
    return this.request('GET', '/rules', { query: filter as Query });
  }
  getRule(ref: string): Promise<Rule> {
    return this.request('GET', `/rules/${encodeURIComponent(ref)}`);
  }
  createRule(rule: Schemas['RuleCreateDto']): Promise<Rule> {
    return this.request('POST', '/rules', { body: rule });
  }
  replaceRule(ref: string, rule: Schemas['RuleCreateDto']): Promise<Rule> {
    return this.request('PUT', `/rules/${encodeURIComponent(ref)}`, { body: rule });
  }
  setRuleEnabled(ref: string, enabled: boolean): Promise<Rule> {
    return this.request('PATCH', `/rules/${encodeURIComponent(ref)}`, { body: { enabled } });
  }
  deleteRule(ref: string): Promise<void> {
    return this.request('DELETE', `/rules/${encodeURIComponent(ref)}`);
  }
  listTriggerTypes(pack?: string): Promise<TriggerType[]> {
    return this.request('GET', '/triggertypes', { query: { pack } });
  }
  listTriggerInstances(filter: TriggerInstanceFilter = {}): Promise<TriggerInstance[]> {
    return this.request('GET', '/triggerinstances', { query: filter as Query });
  }
  getTriggerInstance(id: string): Promise<TriggerInstance> {
    return this.request('GET', `/triggerinstances/${encodeURIComponent(id)}`);
  }
  reEmitTriggerInstance(id: string): Promise<IngestionResult> {
    return this.request('POST', `/triggerinstances/${encodeURIComponent(id)}/re_emit`);
  }
  listRuleEnforcements(filter: RuleEnforcementFilter = {}): Promise<RuleEnforcement[]> {
    return this.request('GET', '/ruleenforcements', { query: filter as Query });
  }
  getTrace(id: string): Promise<Trace> {
    return this.request('GET', `/traces/${encodeURIComponent(id)}`);
  }

  /** The definition's problems (StackStorm's inspection), empty when it can run; the dialect is told from the text unless named. */
  inspectWorkflow(definition: string, runnerType?: WorkflowRunnerType): Promise<WorkflowInspectionError[]> {
    return this.request('POST', '/workflows/inspect', { body: { definition, runner_type: runnerType } });
  }

  listInquiries(): Promise<Inquiry[]> {
    return this.request('GET', '/inquiries');
  }
  getInquiry(id: string): Promise<Inquiry> {
    return this.request('GET', `/inquiries/${encodeURIComponent(id)}`);
  }
  respondToInquiry(id: string, response: Record<string, unknown>): Promise<InquiryResponded> {
    return this.request('PUT', `/inquiries/${encodeURIComponent(id)}`, { body: { id, response } });
  }

  /**
   * Opens the event stream (GET /stream/v1/stream, StackStorm's names and
   * shapes) with its filters, e.g. `{ events: 'st2.execution.output__create', execution_ids: id }`.
   * Resolves once the gateway has subscribed it: every event committed after
   * that arrives. Abort `signal` to close it.
   */
  async openStream(filters: Record<string, string>, signal?: AbortSignal): Promise<AsyncGenerator<StreamMessage>> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/stream/v1/stream`);
    for (const [name, value] of Object.entries(filters)) url.searchParams.set(name, value);
    const response = await this.send(url, { method: 'GET', headers: this.headers('text/event-stream'), signal });
    if (!response.ok || !response.body) throw await this.failure(response);
    return streamMessages(response.body);
  }

  private async request<T>(method: string, path: string, { query, body }: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/api/v1${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value instanceof Date ? value.toISOString() : String(value));
    }
    const headers = this.headers('application/json');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw await this.failure(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    if (this.options.clientName) headers['x-tempest-client'] = this.options.clientName;
    return headers;
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(0, [`cannot reach Tempest at ${this.options.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`]);
    }
  }

  /** The server's message (a list of violations for a 400) of an answer other than 2xx. */
  private async failure(response: Response): Promise<ApiError> {
    const text = await response.text();
    let parsed: { message?: string | string[] } | undefined;
    try {
      parsed = text ? (JSON.parse(text) as typeof parsed) : undefined;
    } catch {
      parsed = undefined;
    }
    const message = parsed?.message ?? response.statusText;
    return new ApiError(response.status, Array.isArray(message) ? message : [message]);
  }
}
