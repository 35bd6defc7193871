import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Observer } from 'rxjs';
import { ANONYMOUS_CALLER, IN_PROCESS_CALLER, parseApiKeys } from '../common/api-keys.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import {
  HANDSHAKE_FAILURE_REASONS,
  HandshakeFailureReason,
  LABELLED_CLOSE_CODES,
  SIGN_DURATION_BUCKETS,
  SIGN_OUTCOME_OK,
} from './metrics.constants.js';

/** Reads a current value when Prometheus scrapes. */
export type GaugeSource = () => number;
type CounterChild = ReturnType<Counter['labels']>;

/**
 * SigSocket's Prometheus series, in a registry of their own so that several apps can live in one
 * process. Labels only take bounded values: outcomes, results, close codes and the callers that
 * `apiKeys` names (plus `anonymous` and `in-process`), never keys.
 */
@Injectable()
export class SigSocketMetrics {
  readonly registry = new Registry();
  /** Caller → outcome → its series of `sigsocket_sign_requests_total`. */
  private readonly signCounters = new Map<string, Map<string, CounterChild>>();
  private connectionsSource: GaugeSource = () => 0;
  private pendingSource: GaugeSource = () => 0;
  private bufferedSource: GaugeSource = () => 0;
  private clusterSeries: ClusterMetrics | undefined;

  private readonly signRequests = new Counter({
    name: 'sigsocket_sign_requests_total',
    help: 'Sign requests by outcome (ok or the error code) and caller (API key name).',
    labelNames: ['outcome', 'caller'] as const,
    registers: [this.registry],
  });

  private readonly signDuration = new Histogram({
    name: 'sigsocket_sign_duration_seconds',
    help: 'Time from a sign request to its verified signature.',
    buckets: SIGN_DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly verifications = new Counter({
    name: 'sigsocket_signature_verifications_total',
    help: 'Signatures checked against a pending request, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly validCounter = this.verifications.labels({ result: 'valid' });
  private readonly invalidCounter = this.verifications.labels({ result: 'invalid' });

  private readonly wsCloses = new Counter({
    name: 'sigsocket_ws_closes_total',
    help: 'Closed /ws connections by close code; unusual codes are counted as "other".',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly handshakeFailures = new Counter({
    name: 'sigsocket_handshake_failures_total',
    help: '/ws connections refused or closed before their key was accepted, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly connections: Gauge = new Gauge({
    name: 'sigsocket_connections',
    help: 'Key holders currently connected.',
    registers: [this.registry],
    collect: () => this.connections.set(this.connectionsSource()),
  });

  private readonly pending: Gauge = new Gauge({
    name: 'sigsocket_pending_requests',
    help: 'Sign requests waiting for a holder.',
    registers: [this.registry],
    collect: () => this.pending.set(this.pendingSource()),
  });

  private readonly buffered: Gauge = new Gauge({
    name: 'sigsocket_buffered_bytes',
    help: 'Bytes of sign requests sent to holders and still queued in the process, timed-out ones included.',
    registers: [this.registry],
    collect: () => this.buffered.set(this.bufferedSource()),
  });

  constructor(@Optional() @Inject(SIGSOCKET_OPTIONS) options?: ResolvedSigSocketOptions) {
    const named = parseApiKeys(options?.apiKeys ?? []).map((key) => key.name);
    // Every series exists from the start, at 0; the hot path counts through the children, which
    // skip hashing the labels on every sign.
    for (const caller of new Set([...named, ANONYMOUS_CALLER, IN_PROCESS_CALLER])) {
      const byOutcome = new Map<string, CounterChild>();
      for (const outcome of [SIGN_OUTCOME_OK, ...Object.values(ErrorCode)]) {
        const child = this.signRequests.labels({ outcome, caller });
        child.inc(0);
        byOutcome.set(outcome, child);
      }
      this.signCounters.set(caller, byOutcome);
    }
    this.validCounter.inc(0);
    this.invalidCounter.inc(0);
    for (const reason of HANDSHAKE_FAILURE_REASONS) this.handshakeFailures.inc({ reason }, 0);
  }

  /** Where the connection, pending and buffered gauges read their values. */
  bindGauges(sources: { connections: GaugeSource; pending: GaugeSource; buffered: GaugeSource }): void {
    this.connectionsSource = sources.connections;
    this.pendingSource = sources.pending;
    this.bufferedSource = sources.buffered;
  }

  /**
   * Counts a sign request's outcome: `error` undefined for a verified signature, whose duration
   * is also observed, otherwise its error code (`internal_error` for anything unexpected).
   * A caller the labels do not know is counted as `in-process`.
   */
  recordSign(error: unknown, durationMs?: number, caller: string = IN_PROCESS_CALLER): void {
    const byOutcome = this.signCounters.get(caller) ?? this.signCounters.get(IN_PROCESS_CALLER);
    if (error === undefined) {
      byOutcome?.get(SIGN_OUTCOME_OK)?.inc();
      if (durationMs !== undefined) this.signDuration.observe(durationMs / 1000);
      return;
    }
    byOutcome?.get(outcomeOf(error))?.inc();
  }

  /** An observer that counts a sign request's outcome, times a verified one, and passes it on. */
  countSign<T>(destination: Observer<T>, caller: string = IN_PROCESS_CALLER): Observer<T> {
    const startedAt = performance.now();
    return {
      next: (value) => {
        this.recordSign(undefined, performance.now() - startedAt, caller);
        destination.next(value);
      },
      error: (error: unknown) => {
        this.recordSign(error, undefined, caller);
        destination.error(error);
      },
      complete: () => destination.complete(),
    };
  }

  /** The cluster's series, registered on first use: only instances in a cluster have them. */
  get cluster(): ClusterMetrics {
    this.clusterSeries ??= new ClusterMetrics(this.registry);
    return this.clusterSeries;
  }

  recordVerification(valid: boolean): void {
    (valid ? this.validCounter : this.invalidCounter).inc();
  }

  recordHandshakeFailure(reason: HandshakeFailureReason): void {
    this.handshakeFailures.inc({ reason });
  }

  recordWsClose(code: number): void {
    this.wsCloses.inc({ code: LABELLED_CLOSE_CODES.has(code) ? String(code) : 'other' });
  }
}

function outcomeOf(error: unknown): string {
  return error instanceof SigSocketError ? error.code : ErrorCode.Internal;
}
