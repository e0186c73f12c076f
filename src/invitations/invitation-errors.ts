// Why an invitation link cannot be used, each with what to do next (used,
// expired, cancelled and superseded links each get a clear page). The accept page
// shows `title` and the message; SCIM/JSON edges see the distinct `code`.
import { DomainError } from '../errors.js';

export type InvitationProblem = 'invalid' | 'used' | 'expired' | 'cancelled' | 'superseded';

export class InvitationLinkError extends DomainError {
  constructor(
    readonly problem: InvitationProblem,
    readonly title: string,
    message: string,
    status: number,
  ) {
    super(`invitation_${problem}`, message, status);
  }
}

export class InvitationNotFound extends InvitationLinkError {
  constructor() {
    super(
      'invalid',
      'This invitation link is not valid',
      'Check that you opened the whole link from the invitation email. If it still does not work, ask the person who invited you to send the invitation again.',
      404,
    );
  }
}

export class InvitationAlreadyUsed extends InvitationLinkError {
  constructor() {
    super('used', 'This invitation has already been accepted', 'Your account exists: sign in with your email address and the password you chose. If you forgot the password, use "Forgot password" on the sign-in page.', 410);
  }
}

export class InvitationExpired extends InvitationLinkError {
  constructor(expiresAt: Date, inviter: string | null) {
    super(
      'expired',
      'This invitation has expired',
      `It expired on ${formatMailDate(expiresAt)}. Ask ${inviter ?? 'the person who invited you'} to resend it: you will receive a new link.`,
      410,
    );
  }
}

export class InvitationCancelled extends InvitationLinkError {
  constructor(inviter: string | null) {
    super('cancelled', 'This invitation was cancelled', `An administrator cancelled it, so the link no longer works. If you still need access, ask ${inviter ?? 'your administrator'} for a new invitation.`, 410);
  }
}

export class InvitationSuperseded extends InvitationLinkError {
  constructor() {
    super(
      'superseded',
      'You have already joined with another invitation',
      'Another invitation to this address was accepted first, so this one is no longer needed. Sign in with your email address and the password you chose.',
      410,
    );
  }
}

/** Reported per address: the address already belongs to an account. */
export class AlreadyHasAccount extends DomainError {
  readonly field = 'email';
  constructor(email: string) {
    super('already_has_account', `${email} already has an account.`, 409);
  }
}

/** "Tuesday, 8 January 2030 at 09:00 UTC": dates in mail and on pages, always in UTC. */
export function formatMailDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}
