// The export writers: left out of the bundles by scripts/build.mjs (they load on the first export),
// and bundled one by one into the VSIX by scripts/package-vsix.mjs (the extension has no node_modules).
export const exportWriters = ['exceljs', 'docx', 'pdfkit', 'jszip'];

/** Folders (relative to the package) a writer reads at run time, shipped beside its bundle. */
export const writerRuntimeFiles = {
  // Standard-font metrics, loaded with a createRequire through the package's `imports` map, and the
  // sRGB profile (PDF/A).
  pdfkit: ['js/standard-fonts', 'js/data'],
};
