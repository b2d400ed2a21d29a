import { useEffect, useState } from 'react';

/**
 * A wait shorter than this shows the label alone. A spinning ring makes every frame a new one to
 * draw and composite, CPU that a quick load would pay beside its own work (the side panel usually
 * shows its first issues well within it).
 */
const SPIN_AFTER_MS = 500;

/** A CSS spinner with its label: the first screen shows it before any Fluent component is needed. */
export function Busy({ label }: { label: string }) {
  const [spin, setSpin] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSpin(true), SPIN_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="state-block centered" role="status">
      <span className={spin ? 'busy' : 'busy still'} aria-hidden />
      <span className="busy-label">{label}</span>
    </div>
  );
}
