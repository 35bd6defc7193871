/** Whether the shared store is reachable, for `/status`, metrics and routing. */
export interface ClusterHealth {
  /** True when instances share a store (cluster mode). */
  readonly clustered: boolean;
  /** False while the shared store is unreachable; always true without one. */
  readonly available: boolean;
  /** Called on each change of {@link available}. */
  onChange(listener: (available: boolean) => void): void;
}
