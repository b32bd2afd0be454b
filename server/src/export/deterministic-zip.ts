import JSZip from 'jszip';

/**
 * Re-packs an Office file (xlsx, docx: zip containers) so the same content gives the same bytes:
 * every entry gets the same fixed date (the zip format stores one per entry, and the writers use
 * the current time), entries keep their order, and the core properties' created/modified
 * timestamps (docProps/core.xml) are set to the export's date.
 */
export async function deterministicZip(bytes: Uint8Array, isoDate: string): Promise<Uint8Array> {
  const source = await JSZip.loadAsync(bytes);
  const target = new JSZip();
  const date = new Date(`${isoDate}T00:00:00Z`);
  const stamp = `${isoDate}T00:00:00Z`;
  for (const name of Object.keys(source.files)) {
    const entry = source.files[name];
    if (!entry || entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (name === 'docProps/core.xml') {
      content = new TextDecoder().decode(content).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g, `$1${stamp}$2`);
    }
    target.file(name, content, { date, createFolders: false });
  }
  return target.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}
