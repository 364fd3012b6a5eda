import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card notice">
      <h1>Not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
      <div className="actions">
        <Link href="/bulk-operations" className="btn btn-primary">
          Bulk operations
        </Link>
        <Link href="/courses" className="btn">
          Courses
        </Link>
      </div>
    </section>
  );
}
