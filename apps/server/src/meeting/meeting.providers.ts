import type { Provider } from '@nestjs/common';
import { DepartureAnnouncer } from '../membership/departure-announcer';
import { AdmissionService } from './admission.service';
import { Departures } from './departures.service';
import { HostActionsService } from './host-actions.service';
import { MeetingChannels } from './meeting-channels.service';
import { MemberCheck } from './member-check.service';
import { PresenceService } from './presence.service';
import { RoomDepartureAnnouncer } from './room-departure-announcer';
import { RoomTalkService } from './room-talk.service';
import { SignalRelay } from './signal-relay.service';
import { WaitingRoomService } from './waiting-room.service';

/** The meeting rules, one service per job; the signaling gateway calls them. */
export const MEETING_PROVIDERS: Provider[] = [
  MeetingChannels,
  MemberCheck,
  WaitingRoomService,
  Departures,
  { provide: DepartureAnnouncer, useClass: RoomDepartureAnnouncer },
  PresenceService,
  AdmissionService,
  SignalRelay,
  RoomTalkService,
  HostActionsService,
];
