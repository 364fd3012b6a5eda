"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type DragEvent, type FormEvent } from "react";

import { formatBytes } from "@/components/bulk/format-bytes";
import { OPERATION_TYPES, type OperationType } from "@/lib/bulk/vocabulary/operation-types";

import { parsePreview, type Preview } from "./file-preview";

export function SubmitForm({ initialType }: { initialType: OperationType }) {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [type, setType] = useState<OperationType>(initialType);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewFirst, setPreviewFirst] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function choose(next: File | null) {
    setFile(next);
    setError(null);
    setPreview(next ? await parsePreview(next) : null);
  }

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (!dropped) {
      return;
    }
    // Mirror the drop into the input so the form and its `required` check see the same file.
    if (inputRef.current) {
      const transfer = new DataTransfer();
      transfer.items.add(dropped);
      inputRef.current.files = transfer.files;
    }
    void choose(dropped);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setError("Choose a CSV file first.");
      return;
    }
    const body = new FormData();
    body.set("type", type);
    body.set("file", file);
    body.set("mode", previewFirst ? "preview" : "apply");
    setSubmitting(true);
    setError(null);
    try {
      const response = await fetch("/api/bulk-operations", { method: "POST", body });
      const payload: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const message = (payload as { error?: { message?: string } } | null)?.error?.message;
        setError(message ?? `The upload failed (HTTP ${response.status}).`);
        setSubmitting(false);
        return;
      }
      router.push(`/bulk-operations/${encodeURIComponent((payload as { id: string }).id)}`);
    } catch {
      setError("The upload did not reach the server; check your connection and try again.");
      setSubmitting(false);
    }
  }

  return (
    <form className="card submit-form" onSubmit={onSubmit} noValidate>
      <div className="form-row">
        <label htmlFor="operation-type">Operation</label>
        <div className="inline-fields">
          <select
            id="operation-type"
            name="type"
            value={type}
            onChange={(event) => setType(event.target.value as OperationType)}
          >
            {OPERATION_TYPES.map((o) => (
              <option key={o.type} value={o.type}>
                {o.label}
              </option>
            ))}
          </select>
          <a
            className="btn btn-small"
            href={`/api/bulk-operations/templates/${type}`}
            download
            data-testid="template-link"
          >
            ⤓ Download CSV template
          </a>
        </div>
      </div>

      <div className="form-row">
        <span className="label">CSV file</span>
        <label
          className={dragging ? "dropzone dropzone-active" : "dropzone"}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          <input
            ref={inputRef}
            type="file"
            name="file"
            accept=".csv,text/csv"
            className="dropzone-input"
            onChange={(event) => void choose(event.target.files?.[0] ?? null)}
          />
          {file ? (
            <span>
              <strong className="file-name">{file.name}</strong>{" "}
              <span className="muted">({formatBytes(file.size)})</span>
              <br />
              <span className="muted small">Drop another file or click to replace it.</span>
            </span>
          ) : (
            <span>
              <strong>Drop a CSV file here</strong> or click to choose one
            </span>
          )}
        </label>
      </div>

      {preview && "error" in preview ? (
        <p className="alert alert-warning">Could not preview this file: {preview.error}</p>
      ) : null}
      {preview && "headers" in preview ? (
        <div className="form-row">
          <span className="label">
            Preview: {preview.headers.length} columns,{" "}
            {preview.rows.length === 0
              ? "no data rows"
              : `first ${preview.rows.length} rows${preview.truncated ? " (more in the file)" : ""}`}
          </span>
          <div className="table-wrap preview-table">
            <table className="table table-compact" data-testid="csv-preview">
              <thead>
                <tr>
                  <th className="num">#</th>
                  {preview.headers.map((h, i) => (
                    <th key={i}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, r) => (
                  <tr key={r}>
                    <td className="num muted">{r + 1}</td>
                    {preview.headers.map((_, c) => (
                      <td key={c}>{row[c] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      <label className="checkbox">
        <input
          type="checkbox"
          name="mode"
          value="preview"
          checked={previewFirst}
          onChange={(event) => setPreviewFirst(event.target.checked)}
        />
        Validate only and preview changes first
      </label>

      {error ? (
        <p className="alert alert-error" role="alert" data-testid="submit-error">
          {error}
        </p>
      ) : null}

      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={submitting || !file}>
          {submitting ? "Uploading…" : previewFirst ? "Upload and validate" : "Upload and apply"}
        </button>
      </div>
    </form>
  );
}
