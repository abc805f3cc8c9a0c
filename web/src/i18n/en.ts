/**
 * English, the client's source language: every string the interface shows
 * is here, grouped by the view that shows it. Other languages implement the
 * same `Catalogue` type, so a missing or misspelt key does not compile.
 * Counts go through `plural` (Intl.PluralRules), dates through the
 * language's own `Intl` formats (`locale`), never through string glue.
 */
import { plural } from './plural';

const one = plural('en');

export const en = {
  locale: 'en',
  languageName: 'English',
  app: {
    brand: 'Parley',
    signInTitle: 'Sign in · Parley',
    language: 'Language',
    configFailed: 'The client configuration could not be loaded.',
    configInvalid: (detail: string) => `The client configuration is invalid: ${detail}`,
  },
  signIn: {
    title: 'Sign in',
    localHint: 'Local mode: pick any name. The same name is always the same person.',
    yourName: 'Your name',
    enterName: 'Please enter a name.',
    failed: 'Sign-in failed.',
    passwordHint: 'At least 12 characters, with upper- and lower-case letters, a digit and a symbol.',
    somethingWrong: 'Something went wrong; please try again.',
    emailedTo: (what: 'confirmationCode' | 'newCode' | 'code', destination: string | undefined) =>
      `We emailed ${{ confirmationCode: 'a confirmation code', newCode: 'a new code', code: 'a code' }[what]} to ${destination ?? 'your address'}.`,
    newPasswordTitle: 'Choose a new password',
    newPasswordHint: (passwordHint: string) => `Your account needs a new password before its first sign-in. ${passwordHint}`,
    authenticatorTitle: 'Authenticator code',
    authenticatorHint: 'Enter the 6-digit code from your authenticator app.',
    newPassword: 'New password',
    code: 'Code',
    continue: 'Continue',
    email: 'Email',
    password: 'Password',
    createAccountLink: 'Create an account',
    forgotLink: 'Forgot your password?',
    createTitle: 'Create an account',
    createHint: (passwordHint: string) => `Your display name is what people see in rooms; you can change it later. ${passwordHint}`,
    displayName: 'Display name',
    createSubmit: 'Create account',
    enterDisplayName: 'Please enter a display name.',
    haveAccountLink: 'I already have an account',
    confirmTitle: 'Confirm your email',
    confirmHint: 'Enter the 6-digit code from the email to finish creating your account.',
    confirmationCode: 'Confirmation code',
    confirm: 'Confirm',
    confirmed: 'Your account is confirmed: sign in.',
    sendNewCode: 'Send a new code',
    sendNewCodeFailed: 'Could not send a new code; please try again.',
    backToSignIn: 'Back to sign in',
    forgotTitle: 'Reset your password',
    forgotHint: 'We will email you a code to set a new password with.',
    sendCode: 'Send code',
    resetTitle: 'Set a new password',
    setPassword: 'Set password',
  },
  directory: {
    title: 'Find public rooms',
    searchLabel: 'Search public rooms by name',
    search: 'Search',
    more: 'More rooms',
    none: 'No public room starts with that.',
    found: (count: number, more: boolean) => `${count} ${one(count, 'room', 'rooms')} found${more ? ', more to see' : ''}.`,
  },
  rooms: {
    title: 'Rooms',
    empty: 'No rooms yet. Create one below.',
    privateTag: 'private',
    notJoinedTag: 'not joined',
    unread: (count: string) => `${count} unread`,
    newRoom: 'New room',
    roomName: 'Room name',
    private: 'Private (invitation only)',
    create: 'Create room',
    joinById: 'Join by id',
    roomId: 'Room id',
    join: 'Join',
  },
  preview: {
    label: 'Room preview',
    banned: 'You are banned from this room. You cannot rejoin unless its owner or a moderator lifts the ban.',
    deleted: 'This room was deleted.',
    unavailable: 'This room does not exist, or you do not have access to it.',
    members: (count: number) => `${count} ${one(count, 'member', 'members')}`,
    recent: 'Recent messages',
    notMember: 'You are not a member of this public room yet.',
    join: 'Join this room',
  },
  invitations: {
    title: 'Invitations',
    titleWithCount: (count: number) => `Invitations (${count})`,
    accept: 'Accept',
    acceptLabel: (room: string) => `Accept the invitation to ${room}`,
    decline: 'Decline',
    declineLabel: (room: string) => `Decline the invitation to ${room}`,
    from: (inviter: string, role: string, until: string) => `From ${inviter}, as ${role}. Until ${until}.`,
  },
  myId: {
    label: 'Your user id: ',
    copy: 'Copy id',
    copied: 'Copied.',
    selected: 'Selected: press Ctrl+C to copy.',
  },
  people: {
    placeholder: 'Type a name',
    found: 'People found',
    searchFailed: 'Could not search just now.',
    nobody: 'Nobody found by that name.',
    count: (count: number) => `${count} found. Use the arrow keys to choose.`,
    chosen: (name: string) => `${name} chosen.`,
  },
  presence: {
    typingOne: (name: string) => `${name} is typing…`,
    typingTwo: (first: string, second: string) => `${first} and ${second} are typing…`,
    typingMany: 'Several people are typing…',
  },
  timeline: {
    newMessages: 'New messages',
  },
  roles: {
    owner: 'owner',
    moderator: 'moderator',
    member: 'member',
    guest: 'guest',
  },
};

export type Catalogue = typeof en;
