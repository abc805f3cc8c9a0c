import { CognitoError, signInWithPassword, type SignInStep } from '../auth/cognito';
import { signInLocally } from '../auth/local';
import { sessionFromToken, type Session } from '../auth/session';
import type { AuthConfig } from '../config';
import { h, replaceChildren, setText } from './dom';

/**
 * The sign-in screen. Locally: a name is enough (the local identity
 * provider vouches for anyone). Deployed: email and password against the
 * user pool, then a new password or an authenticator code when Cognito asks.
 */
export function renderSignIn(root: HTMLElement, auth: AuthConfig, onSignedIn: (session: Session) => void, message?: string): void {
  const error = h('p', { className: 'form-error', role: 'alert' }, message ?? '');
  const card = h('main', { id: 'main', className: 'sign-in' }, h('h1', { className: 'brand' }, 'Parley'));
  replaceChildren(root, card);

  const fail = (text: string) => setText(error, text);
  const busy = (form: HTMLFormElement, on: boolean) => {
    for (const control of form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) control.disabled = on;
    form.setAttribute('aria-busy', String(on));
  };

  if (auth.kind === 'local') {
    const name = h('input', { id: 'sign-in-name', name: 'name', required: true, maxlength: 64, autocomplete: 'nickname', autofocus: true });
    const form = h(
      'form',
      { className: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, 'Sign in'),
      h('p', { className: 'hint' }, 'Local mode: pick any name. The same name is always the same person.'),
      h('label', { for: 'sign-in-name' }, 'Your name'),
      name,
      h('button', { type: 'submit' }, 'Sign in'),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = name.value.trim();
      if (value === '') return fail('Please enter a name.');
      busy(form, true);
      signInLocally(auth.tokenUrl, value)
        .then((token) => onSignedIn(sessionFromToken('local', token)))
        .catch((e: unknown) => {
          busy(form, false);
          fail(e instanceof Error ? e.message : 'Sign-in failed.');
        });
    });
    card.append(form);
    name.focus();
    return;
  }

  const settings = { region: auth.region, userPoolId: auth.userPoolId, clientId: auth.clientId };
  const email = h('input', { id: 'sign-in-email', name: 'email', type: 'email', required: true, autocomplete: 'username', autofocus: true });
  const password = h('input', { id: 'sign-in-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const form = h(
    'form',
    { className: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'sign-in-email' }, 'Email'),
    email,
    h('label', { for: 'sign-in-password' }, 'Password'),
    password,
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );

  /** Shows the next step Cognito asks for, or finishes. */
  const proceed = (step: SignInStep): void => {
    if (step.kind === 'signedIn') {
      onSignedIn(sessionFromToken('cognito', step.tokens.idToken, step.tokens.refreshToken));
      return;
    }
    const newPassword = step.kind === 'newPasswordRequired';
    const input = h('input', {
      id: 'sign-in-answer',
      name: 'answer',
      required: true,
      ...(newPassword
        ? { type: 'password', autocomplete: 'new-password', minlength: 12 }
        : { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 }),
    });
    const next = h(
      'form',
      { className: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, newPassword ? 'Choose a new password' : 'Authenticator code'),
      h(
        'p',
        { className: 'hint' },
        newPassword ? 'Your account needs a new password before its first sign-in.' : 'Enter the 6-digit code from your authenticator app.',
      ),
      h('label', { for: 'sign-in-answer' }, newPassword ? 'New password' : 'Code'),
      input,
      h('button', { type: 'submit' }, 'Continue'),
      error,
    );
    next.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(next, true);
      step
        .respond(input.value)
        .then(proceed)
        .catch((e: unknown) => {
          busy(next, false);
          fail(e instanceof CognitoError ? e.message : 'Sign-in failed; please try again.');
        });
    });
    fail('');
    replaceChildren(card, h('h1', { className: 'brand' }, 'Parley'), next);
    input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form, true);
    signInWithPassword(settings, email.value.trim(), password.value)
      .then(proceed)
      .catch((e: unknown) => {
        busy(form, false);
        fail(e instanceof CognitoError ? e.message : 'Sign-in failed; please try again.');
      });
  });
  card.append(form);
  email.focus();
}
