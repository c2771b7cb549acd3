/**
 * The first screen. It says what the app is for and, honestly, what this build can do so far:
 * the method's math is in place and tested; training and inspection in the page come next.
 */
export function App() {
  const webgpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  return (
    <main className="start">
      <h1>pixood-web</h1>
      <p className="lead">
        Finds what does not belong in an image, pixel by pixel. Show it pictures of good parts;
        it learns what normal looks like and marks everything else, with a score that says how
        rarely a normal pixel would look this unusual.
      </p>
      <section aria-labelledby="status-heading" className="status">
        <h2 id="status-heading">What this build does</h2>
        <ul>
          <li>The PixOOD method (condensation, classifier, calibrated scoring and metrics) is implemented and tested in TypeScript.</li>
          <li>Training and inspection in this page are not available yet: there is nothing to click that would pretend otherwise.</li>
          <li>Everything will run on this device. No image leaves it.</li>
        </ul>
        <p>
          WebGPU in this browser: <strong>{webgpu ? 'available' : 'not available (the CPU path will be used)'}</strong>
        </p>
      </section>
    </main>
  );
}
