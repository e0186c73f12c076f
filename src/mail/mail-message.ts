// A rendered message: what templates produce and the outbox stores.
export interface MailMessage {
  template: string;
  subject: string;
  html: string;
  text: string;
}
