import { useParams } from 'react-router';
import { ContactSidebar } from './ContactSidebar';

/** A contact on their own (from search): the same card as beside a conversation. */
export function ContactPage() {
  const { id } = useParams();
  return (
    <div className="flex flex-1 justify-center overflow-y-auto bg-canvas p-6">
      <div className="h-fit w-full max-w-md self-start overflow-hidden rounded-xl border border-line [&>aside]:w-full [&>aside]:border-l-0">{id && <ContactSidebar contactId={id} />}</div>
    </div>
  );
}
