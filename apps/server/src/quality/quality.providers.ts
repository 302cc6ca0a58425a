import type { Provider } from '@nestjs/common';
import { MeetingReportService } from './meeting-report.service';
import { QualityIntake } from './quality-intake.service';
import { QualityRecorder } from './quality-recorder.service';
import { QualityRetention } from './quality-retention.service';

/** Call quality: taking samples in, writing them in batches, pruning old ones, and the host's report. */
export const QUALITY_PROVIDERS: Provider[] = [QualityRecorder, QualityIntake, QualityRetention, MeetingReportService];
