/** A CSS spinner with its label: the first screen shows it before any Fluent component is needed. */
export function Busy({ label }: { label: string }) {
  return (
    <div className="state-block centered" role="status">
      <span className="busy" aria-hidden />
      <span className="busy-label">{label}</span>
    </div>
  );
}
