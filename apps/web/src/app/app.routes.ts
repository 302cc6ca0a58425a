import type { Routes } from '@angular/router';
import { HomePage } from './home/home.page';

export const routes: Routes = [
  { path: '', component: HomePage },
  // The meeting (signaling, WebRTC) loads only when someone opens a meeting link.
  // The host's meeting report: its own chunk, loaded only when a host opens it.
  { path: 'r/:roomId/report', loadComponent: () => import('./report/report.page').then((m) => m.ReportPage) },
  { path: 'r/:roomId', loadComponent: () => import('./meeting/meeting.page').then((m) => m.MeetingPage) },
  { path: '**', redirectTo: '' },
];
