"""Static definition data of The Memory Syndicate (build 574a4d9a), as the game registers it.

Copied verbatim from saves the game wrote (../shared/fixtures/game/saves): the 11 registered
quest records in their not-started state, the 4 built-in district records at their definition
defaults, the 13 tutorial step prompts, the Case 001 evidence items and case objectives.
These are game data, not play-through data, so the demo simulation reuses them as the game
itself would. Exception: the original control hint of the ``case_file`` step was never captured
(the recorded player rebound it), so the one here is a plausible stand-in.

Dict key order matters: it is the key order the game serialises.
"""
from __future__ import annotations


QUEST_RECORDS = {'case_001_hollow_case': {'id': 'case_001_hollow_case',
                          'title': 'The Hollow Case',
                          'type': 'main',
                          'status': 'not_started',
                          'startedAt': None,
                          'completedAt': None,
                          'failedAt': None,
                          'objectives': {'obj_arrive_scene': {'id': 'obj_arrive_scene',
                                                              'title': 'Arrive at the crime scene',
                                                              'description': 'Arrive at the crime scene',
                                                              'optional': False,
                                                              'hidden': False,
                                                              'target': 1,
                                                              'metadata': {'trigger': {'event': 'area:entered',
                                                                                       'areaId': 'crime_scene_alley'},
                                                                           'tags': []},
                                                              'progress': 0,
                                                              'status': 'pending',
                                                              'blocked': None},
                                         'obj_examine_body': {'id': 'obj_examine_body',
                                                              'title': "Examine Alex's body",
                                                              'description': "Examine Alex's body",
                                                              'optional': False,
                                                              'hidden': False,
                                                              'target': 1,
                                                              'metadata': {'trigger': {'event': 'evidence:collected',
                                                                                       'count': 1},
                                                                           'tags': []},
                                                              'progress': 0,
                                                              'status': 'pending',
                                                              'blocked': None},
                                         'obj_collect_evidence': {'id': 'obj_collect_evidence',
                                                                  'title': 'Collect all evidence at the '
                                                                           'scene (0/3)',
                                                                  'description': 'Collect all evidence at '
                                                                                 'the scene (0/3)',
                                                                  'optional': False,
                                                                  'hidden': False,
                                                                  'target': 3,
                                                                  'metadata': {'trigger': {'event': 'evidence:collected',
                                                                                           'count': 3},
                                                                               'tags': []},
                                                                  'progress': 0,
                                                                  'status': 'pending',
                                                                  'blocked': None},
                                         'obj_interview_witness': {'id': 'obj_interview_witness',
                                                                   'title': 'Interview the witness',
                                                                   'description': 'Interview the witness',
                                                                   'optional': False,
                                                                   'hidden': False,
                                                                   'target': 1,
                                                                   'metadata': {'trigger': {'event': 'npc:interviewed',
                                                                                            'npcId': ['witness_street_vendor',
                                                                                                      'officer_martinez',
                                                                                                      'mrs_chen']},
                                                                                'tags': []},
                                                                   'progress': 0,
                                                                   'status': 'pending',
                                                                   'blocked': None},
                                         'obj_consult_black_market_broker': {'id': 'obj_consult_black_market_broker',
                                                                             'title': 'Secure transit intel '
                                                                                      'from the black market '
                                                                                      'broker',
                                                                             'description': 'Secure transit '
                                                                                            'intel from the '
                                                                                            'black market '
                                                                                            'broker',
                                                                             'optional': True,
                                                                             'hidden': False,
                                                                             'target': 1,
                                                                             'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                      'knowledgeId': 'black_market_transit_routes'},
                                                                                          'tags': []},
                                                                             'progress': 0,
                                                                             'status': 'pending',
                                                                             'blocked': None},
                                         'obj_contact_cipher_quartermaster': {'id': 'obj_contact_cipher_quartermaster',
                                                                              'title': 'Acquire a Cipher '
                                                                                       'scrambler charge for '
                                                                                       'parlor infiltration',
                                                                              'description': 'Acquire a '
                                                                                             'Cipher '
                                                                                             'scrambler '
                                                                                             'charge for '
                                                                                             'parlor '
                                                                                             'infiltration',
                                                                              'optional': True,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                       'knowledgeId': 'cipher_scrambler_access'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                         'obj_unlock_detective_vision': {'id': 'obj_unlock_detective_vision',
                                                                         'title': 'Learn to use Detective '
                                                                                  'Vision',
                                                                         'description': 'Learn to use '
                                                                                        'Detective Vision',
                                                                         'optional': False,
                                                                         'hidden': False,
                                                                         'target': 1,
                                                                         'metadata': {'trigger': {'event': 'ability:unlocked',
                                                                                                  'abilityId': 'detective_vision'},
                                                                                      'tags': []},
                                                                         'progress': 0,
                                                                         'status': 'pending',
                                                                         'blocked': None},
                                         'obj_find_hidden_evidence': {'id': 'obj_find_hidden_evidence',
                                                                      'title': 'Use Detective Vision to find '
                                                                               'hidden evidence',
                                                                      'description': 'Use Detective Vision '
                                                                                     'to find hidden '
                                                                                     'evidence',
                                                                      'optional': False,
                                                                      'hidden': False,
                                                                      'target': 5,
                                                                      'metadata': {'trigger': {'event': 'evidence:collected',
                                                                                               'count': 5},
                                                                                   'tags': []},
                                                                      'progress': 0,
                                                                      'status': 'pending',
                                                                      'blocked': None},
                                         'obj_analyze_neural_extractor': {'id': 'obj_analyze_neural_extractor',
                                                                          'title': 'Analyze the neural '
                                                                                   'extraction device',
                                                                          'description': 'Analyze the neural '
                                                                                         'extraction device',
                                                                          'optional': False,
                                                                          'hidden': False,
                                                                          'target': 1,
                                                                          'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                   'knowledgeId': 'neural_extractor_tech'},
                                                                                       'tags': []},
                                                                          'progress': 0,
                                                                          'status': 'pending',
                                                                          'blocked': None},
                                         'obj_connect_clues': {'id': 'obj_connect_clues',
                                                               'title': 'Connect clues on the deduction '
                                                                        'board',
                                                               'description': 'Connect clues on the '
                                                                              'deduction board',
                                                               'optional': False,
                                                               'hidden': False,
                                                               'target': 1,
                                                               'metadata': {'trigger': {'event': 'theory:validated',
                                                                                        'theoryId': 'theory_hollow_case'},
                                                                            'tags': []},
                                                               'progress': 0,
                                                               'status': 'pending',
                                                               'blocked': None},
                                         'obj_report_findings': {'id': 'obj_report_findings',
                                                                 'title': 'Report findings to Captain Reese',
                                                                 'description': 'Report findings to Captain '
                                                                                'Reese',
                                                                 'optional': False,
                                                                 'hidden': False,
                                                                 'target': 1,
                                                                 'metadata': {'trigger': {'event': 'dialogue:completed',
                                                                                          'npcId': 'captain_reese'},
                                                                              'tags': []},
                                                                 'progress': 0,
                                                                 'status': 'pending',
                                                                 'blocked': None}},
                          'blockedObjectives': {},
                          'lastBlockedAt': None,
                          'lastBlocked': None,
                          'metadata': {'act': 'act1', 'prerequisites': {'storyFlags': []}},
                          'objectivesOrder': ['obj_arrive_scene',
                                              'obj_examine_body',
                                              'obj_collect_evidence',
                                              'obj_interview_witness',
                                              'obj_consult_black_market_broker',
                                              'obj_contact_cipher_quartermaster',
                                              'obj_unlock_detective_vision',
                                              'obj_find_hidden_evidence',
                                              'obj_analyze_neural_extractor',
                                              'obj_connect_clues',
                                              'obj_report_findings'],
                          'description': 'Your former partner Alex has become a "hollow" - their '
                                         'consciousness extracted, leaving only an empty shell. Investigate '
                                         'the crime scene to find out who did this and why.',
                          'rewards': {'abilityUnlock': 'memory_trace',
                                      'storyFlags': ['case_001_solved',
                                                     'act1_progress_1',
                                                     'knows_hollow_victims',
                                                     'knows_neurosynch_connection'],
                                      'factionReputation': {'police': 10, 'neurosynch': -5}},
                          'act': 'act1',
                          'autoStart': True,
                          'branches': [{'condition': {'storyFlags': ['case_001_solved']},
                                        'nextQuest': 'case_002_following_pattern'}]},
 'case_002_following_pattern': {'id': 'case_002_following_pattern',
                                'title': 'Following the Pattern',
                                'type': 'main',
                                'status': 'not_started',
                                'startedAt': None,
                                'completedAt': None,
                                'failedAt': None,
                                'objectives': {'obj_investigate_scenes': {'id': 'obj_investigate_scenes',
                                                                          'title': 'Investigate three crime '
                                                                                   'scenes (0/3)',
                                                                          'description': 'Investigate three '
                                                                                         'crime scenes (0/3)',
                                                                          'optional': False,
                                                                          'hidden': False,
                                                                          'target': 3,
                                                                          'metadata': {'trigger': {'event': 'case:solved',
                                                                                                   'count': 3},
                                                                                       'tags': []},
                                                                          'progress': 0,
                                                                          'status': 'pending',
                                                                          'blocked': None},
                                               'obj_analyze_extraction_patterns': {'id': 'obj_analyze_extraction_patterns',
                                                                                   'title': 'Analyze '
                                                                                            'extraction '
                                                                                            'patterns',
                                                                                   'description': 'Analyze '
                                                                                                  'extraction '
                                                                                                  'patterns',
                                                                                   'optional': False,
                                                                                   'hidden': False,
                                                                                   'target': 1,
                                                                                   'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                            'knowledgeId': 'extraction_pattern_analysis'},
                                                                                                'tags': []},
                                                                                   'progress': 0,
                                                                                   'status': 'pending',
                                                                                   'blocked': None},
                                               'obj_identify_neurosynch_link': {'id': 'obj_identify_neurosynch_link',
                                                                                'title': 'Identify NeuroSync '
                                                                                         'connection',
                                                                                'description': 'Identify '
                                                                                               'NeuroSync '
                                                                                               'connection',
                                                                                'optional': False,
                                                                                'hidden': False,
                                                                                'target': 1,
                                                                                'metadata': {'trigger': {'event': 'theory:validated',
                                                                                                         'theoryId': 'theory_neurosynch_link'},
                                                                                             'tags': []},
                                                                                'progress': 0,
                                                                                'status': 'pending',
                                                                                'blocked': None},
                                               'obj_optional_informant': {'id': 'obj_optional_informant',
                                                                          'title': 'Find informant with '
                                                                                   'intel on Memory Parlors',
                                                                          'description': 'Find informant '
                                                                                         'with intel on '
                                                                                         'Memory Parlors',
                                                                          'optional': True,
                                                                          'hidden': False,
                                                                          'target': 1,
                                                                          'metadata': {'trigger': {'event': 'npc:interviewed',
                                                                                                   'npcId': 'informant_jax'},
                                                                                       'tags': []},
                                                                          'progress': 0,
                                                                          'status': 'pending',
                                                                          'blocked': None}},
                                'blockedObjectives': {},
                                'lastBlockedAt': None,
                                'lastBlocked': None,
                                'metadata': {'act': 'act1',
                                             'prerequisites': {'storyFlags': ['case_001_solved']}},
                                'objectivesOrder': ['obj_investigate_scenes',
                                                    'obj_analyze_extraction_patterns',
                                                    'obj_identify_neurosynch_link',
                                                    'obj_optional_informant'],
                                'description': 'Multiple hollow victims have been found across the Neon '
                                               'Districts. Investigate the pattern to identify the '
                                               'perpetrators.',
                                'rewards': {'storyFlags': ['case_002_solved',
                                                           'act1_progress_2',
                                                           'knows_memory_parlors'],
                                            'factionReputation': {'police': 15,
                                                                  'neurosynch': -10,
                                                                  'independents': 5}},
                                'act': 'act1',
                                'autoStart': False,
                                'branches': [{'condition': {'storyFlags': ['case_002_solved'],
                                                            'obj_optional_informant': True},
                                              'nextQuest': 'case_003_memory_parlor'},
                                             {'condition': {'storyFlags': ['case_002_solved']},
                                              'nextQuest': 'case_004_informant_network'}]},
 'case_003_memory_parlor': {'id': 'case_003_memory_parlor',
                            'title': 'Memory Parlor',
                            'type': 'main',
                            'status': 'not_started',
                            'startedAt': None,
                            'completedAt': None,
                            'failedAt': None,
                            'objectives': {'obj_acquire_disguise': {'id': 'obj_acquire_disguise',
                                                                    'title': 'Acquire civilian disguise',
                                                                    'description': 'Acquire civilian '
                                                                                   'disguise',
                                                                    'optional': False,
                                                                    'hidden': False,
                                                                    'target': 1,
                                                                    'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                             'knowledgeId': 'disguise_civilian'},
                                                                                 'tags': []},
                                                                    'progress': 0,
                                                                    'status': 'pending',
                                                                    'blocked': None},
                                           'obj_locate_parlor': {'id': 'obj_locate_parlor',
                                                                 'title': 'Locate the Memory Parlor entrance',
                                                                 'description': 'Locate the Memory Parlor '
                                                                                'entrance',
                                                                 'optional': False,
                                                                 'hidden': False,
                                                                 'target': 1,
                                                                 'metadata': {'trigger': {'event': 'area:entered',
                                                                                          'areaId': 'memory_parlor_entrance'},
                                                                              'tags': []},
                                                                 'progress': 0,
                                                                 'status': 'pending',
                                                                 'blocked': None},
                                           'obj_infiltrate_parlor': {'id': 'obj_infiltrate_parlor',
                                                                     'title': 'Enter the Memory Parlor '
                                                                              'without detection',
                                                                     'description': 'Enter the Memory Parlor '
                                                                                    'without detection',
                                                                     'optional': False,
                                                                     'hidden': False,
                                                                     'target': 1,
                                                                     'metadata': {'trigger': {'event': 'area:entered',
                                                                                              'areaId': 'memory_parlor_interior'},
                                                                                  'tags': []},
                                                                     'progress': 0,
                                                                     'status': 'pending',
                                                                     'blocked': None},
                                           'obj_gather_intel': {'id': 'obj_gather_intel',
                                                                'title': 'Gather intel on extraction '
                                                                         'operations',
                                                                'description': 'Gather intel on extraction '
                                                                               'operations',
                                                                'optional': False,
                                                                'hidden': False,
                                                                'target': 4,
                                                                'metadata': {'trigger': {'event': 'evidence:collected',
                                                                                         'count': 4},
                                                                             'tags': []},
                                                                'progress': 0,
                                                                'status': 'pending',
                                                                'blocked': None},
                                           'obj_download_client_list': {'id': 'obj_download_client_list',
                                                                        'title': 'Download client database',
                                                                        'description': 'Download client '
                                                                                       'database',
                                                                        'optional': False,
                                                                        'hidden': False,
                                                                        'target': 1,
                                                                        'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                 'knowledgeId': 'memory_parlor_clients'},
                                                                                     'tags': []},
                                                                        'progress': 0,
                                                                        'status': 'pending',
                                                                        'blocked': None},
                                           'obj_encounter_eraser': {'id': 'obj_encounter_eraser',
                                                                    'title': 'Encounter "Eraser" agent',
                                                                    'description': 'Encounter "Eraser" agent',
                                                                    'optional': False,
                                                                    'hidden': False,
                                                                    'target': 1,
                                                                    'metadata': {'trigger': {'event': 'dialogue:completed',
                                                                                             'npcId': 'eraser_agent_cipher'},
                                                                                 'tags': []},
                                                                    'progress': 0,
                                                                    'status': 'pending',
                                                                    'blocked': None},
                                           'obj_escape_parlor': {'id': 'obj_escape_parlor',
                                                                 'title': 'Escape the Memory Parlor',
                                                                 'description': 'Escape the Memory Parlor',
                                                                 'optional': False,
                                                                 'hidden': False,
                                                                 'target': 1,
                                                                 'metadata': {'trigger': {'event': 'area:entered',
                                                                                          'areaId': 'neon_districts_street'},
                                                                              'tags': []},
                                                                 'progress': 0,
                                                                 'status': 'pending',
                                                                 'blocked': None}},
                            'blockedObjectives': {},
                            'lastBlockedAt': None,
                            'lastBlocked': None,
                            'metadata': {'act': 'act1',
                                         'prerequisites': {'storyFlags': ['case_002_solved',
                                                                          'knows_memory_parlors']}},
                            'objectivesOrder': ['obj_acquire_disguise',
                                                'obj_locate_parlor',
                                                'obj_infiltrate_parlor',
                                                'obj_gather_intel',
                                                'obj_download_client_list',
                                                'obj_encounter_eraser',
                                                'obj_escape_parlor'],
                            'description': 'Infiltrate the illegal Memory Parlor in the undercity to gather '
                                           'evidence on the memory extraction operation.',
                            'rewards': {'storyFlags': ['case_003_solved',
                                                       'act1_progress_3',
                                                       'knows_eraser_agents',
                                                       'discovered_curator_network',
                                                       'ability_disguise_system'],
                                        'factionReputation': {'police': 20,
                                                              'neurosynch': -20,
                                                              'curators': -15}},
                            'act': 'act1',
                            'autoStart': False,
                            'branches': [{'condition': {'storyFlags': ['case_003_solved']},
                                          'nextQuest': 'case_005_memory_drive'}]},
 'case_004_informant_network': {'id': 'case_004_informant_network',
                                'title': 'Informant Network',
                                'type': 'main',
                                'status': 'not_started',
                                'startedAt': None,
                                'completedAt': None,
                                'failedAt': None,
                                'objectives': {'obj_meet_jax': {'id': 'obj_meet_jax',
                                                                'title': 'Meet with informant Jax',
                                                                'description': 'Meet with informant Jax',
                                                                'optional': False,
                                                                'hidden': False,
                                                                'target': 1,
                                                                'metadata': {'trigger': {'event': 'npc:interviewed',
                                                                                         'npcId': 'informant_jax'},
                                                                             'tags': []},
                                                                'progress': 0,
                                                                'status': 'pending',
                                                                'blocked': None},
                                               'obj_help_jax': {'id': 'obj_help_jax',
                                                                'title': "Complete Jax's favor (retrieve "
                                                                         'stolen data)',
                                                                'description': "Complete Jax's favor "
                                                                               '(retrieve stolen data)',
                                                                'optional': False,
                                                                'hidden': False,
                                                                'target': 1,
                                                                'metadata': {'trigger': {'event': 'case:solved',
                                                                                         'caseId': 'side_jax_favor'},
                                                                             'tags': []},
                                                                'progress': 0,
                                                                'status': 'pending',
                                                                'blocked': None},
                                               'obj_recruit_informants': {'id': 'obj_recruit_informants',
                                                                          'title': 'Recruit street '
                                                                                   'informants (0/3)',
                                                                          'description': 'Recruit street '
                                                                                         'informants (0/3)',
                                                                          'optional': False,
                                                                          'hidden': False,
                                                                          'target': 3,
                                                                          'metadata': {'trigger': {'event': 'npc:interviewed',
                                                                                                   'count': 3},
                                                                                       'tags': []},
                                                                          'progress': 0,
                                                                          'status': 'pending',
                                                                          'blocked': None},
                                               'obj_gain_parlor_intel': {'id': 'obj_gain_parlor_intel',
                                                                         'title': 'Gain Memory Parlor '
                                                                                  'location',
                                                                         'description': 'Gain Memory Parlor '
                                                                                        'location',
                                                                         'optional': False,
                                                                         'hidden': False,
                                                                         'target': 1,
                                                                         'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                                  'knowledgeId': 'memory_parlor_location'},
                                                                                      'tags': []},
                                                                         'progress': 0,
                                                                         'status': 'pending',
                                                                         'blocked': None}},
                                'blockedObjectives': {},
                                'lastBlockedAt': None,
                                'lastBlocked': None,
                                'metadata': {'act': 'act1',
                                             'prerequisites': {'storyFlags': ['case_002_solved']}},
                                'objectivesOrder': ['obj_meet_jax',
                                                    'obj_help_jax',
                                                    'obj_recruit_informants',
                                                    'obj_gain_parlor_intel'],
                                'description': 'Build a network of informants to locate illegal Memory '
                                               'Parlors operating in the Neon Districts.',
                                'rewards': {'storyFlags': ['case_004_solved',
                                                           'act1_progress_3',
                                                           'knows_memory_parlors',
                                                           'has_informant_network'],
                                            'factionReputation': {'independents': 20, 'police': 5}},
                                'act': 'act1',
                                'autoStart': False,
                                'branches': [{'condition': {'storyFlags': ['case_004_solved']},
                                              'nextQuest': 'case_003_memory_parlor'}]},
 'case_005_memory_drive': {'id': 'case_005_memory_drive',
                           'title': 'The Memory Drive',
                           'type': 'main',
                           'status': 'not_started',
                           'startedAt': None,
                           'completedAt': None,
                           'failedAt': None,
                           'objectives': {'obj_analyze_drive': {'id': 'obj_analyze_drive',
                                                                'title': 'Analyze the encrypted memory drive',
                                                                'description': 'Analyze the encrypted memory '
                                                                               'drive',
                                                                'optional': False,
                                                                'hidden': False,
                                                                'target': 1,
                                                                'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                         'knowledgeId': 'encrypted_memory_drive'},
                                                                             'tags': []},
                                                                'progress': 0,
                                                                'status': 'pending',
                                                                'blocked': None},
                                          'obj_find_decryption_key': {'id': 'obj_find_decryption_key',
                                                                      'title': 'Find decryption key',
                                                                      'description': 'Find decryption key',
                                                                      'optional': False,
                                                                      'hidden': False,
                                                                      'target': 2,
                                                                      'metadata': {'trigger': {'event': 'evidence:collected',
                                                                                               'count': 2},
                                                                                   'tags': []},
                                                                      'progress': 0,
                                                                      'status': 'pending',
                                                                      'blocked': None},
                                          'obj_decrypt_drive': {'id': 'obj_decrypt_drive',
                                                                'title': 'Decrypt the memory drive',
                                                                'description': 'Decrypt the memory drive',
                                                                'optional': False,
                                                                'hidden': False,
                                                                'target': 1,
                                                                'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                         'knowledgeId': 'drive_decrypted'},
                                                                             'tags': []},
                                                                'progress': 0,
                                                                'status': 'pending',
                                                                'blocked': None},
                                          'obj_witness_memory': {'id': 'obj_witness_memory',
                                                                 'title': 'Witness the extracted memory',
                                                                 'description': 'Witness the extracted '
                                                                                'memory',
                                                                 'optional': False,
                                                                 'hidden': False,
                                                                 'target': 1,
                                                                 'metadata': {'trigger': {'event': 'dialogue:completed',
                                                                                          'npcId': 'memory_playback_system'},
                                                                              'tags': []},
                                                                 'progress': 0,
                                                                 'status': 'pending',
                                                                 'blocked': None},
                                          'obj_confront_reese': {'id': 'obj_confront_reese',
                                                                 'title': 'Confront Captain Reese with the '
                                                                          'evidence',
                                                                 'description': 'Confront Captain Reese with '
                                                                                'the evidence',
                                                                 'optional': False,
                                                                 'hidden': False,
                                                                 'target': 1,
                                                                 'metadata': {'trigger': {'event': 'dialogue:completed',
                                                                                          'npcId': 'captain_reese'},
                                                                              'tags': []},
                                                                 'progress': 0,
                                                                 'status': 'pending',
                                                                 'blocked': None},
                                          'obj_gain_midcity_access': {'id': 'obj_gain_midcity_access',
                                                                      'title': 'Gain credentials to Mid-City',
                                                                      'description': 'Gain credentials to '
                                                                                     'Mid-City',
                                                                      'optional': False,
                                                                      'hidden': False,
                                                                      'target': 1,
                                                                      'metadata': {'trigger': {'event': 'knowledge:learned',
                                                                                               'knowledgeId': 'midcity_credentials'},
                                                                                   'tags': []},
                                                                      'progress': 0,
                                                                      'status': 'pending',
                                                                      'blocked': None}},
                           'blockedObjectives': {},
                           'lastBlockedAt': None,
                           'lastBlocked': None,
                           'metadata': {'act': 'act1', 'prerequisites': {'storyFlags': ['case_003_solved']}},
                           'objectivesOrder': ['obj_analyze_drive',
                                               'obj_find_decryption_key',
                                               'obj_decrypt_drive',
                                               'obj_witness_memory',
                                               'obj_confront_reese',
                                               'obj_gain_midcity_access'],
                           'description': 'A memory drive recovered from the Memory Parlor contains '
                                          'encrypted data. Decrypt it to uncover the truth behind the hollow '
                                          'victims.',
                           'rewards': {'abilityUnlock': 'memory_trace_advanced',
                                       'storyFlags': ['case_005_solved',
                                                      'act1_complete',
                                                      'act2_started',
                                                      'midcity_unlocked',
                                                      'knows_evidence_destruction',
                                                      'reese_suspicious'],
                                       'factionReputation': {'police': -10, 'archivists': 10}},
                           'act': 'act1',
                           'autoStart': False,
                           'branches': [{'condition': {'storyFlags': ['act1_complete']},
                                         'nextQuest': 'act2_choice_intro'}]},
 'main-act2-neurosync-infiltration': {'id': 'main-act2-neurosync-infiltration',
                                      'title': 'Inside NeuroSync',
                                      'type': 'main',
                                      'status': 'not_started',
                                      'startedAt': None,
                                      'completedAt': None,
                                      'failedAt': None,
                                      'objectives': {'obj_infiltrate_lobby': {'id': 'obj_infiltrate_lobby',
                                                                              'title': 'Blend into the '
                                                                                       'NeuroSync lobby '
                                                                                       'without triggering '
                                                                                       'alarms.',
                                                                              'description': 'Blend into the '
                                                                                             'NeuroSync '
                                                                                             'lobby without '
                                                                                             'triggering '
                                                                                             'alarms.',
                                                                              'optional': False,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'area:entered',
                                                                                                       'areaId': 'corporate_lobby'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                                     'obj_bypass_security_floor': {'id': 'obj_bypass_security_floor',
                                                                                   'title': 'Bypass the '
                                                                                            'security floor '
                                                                                            'patrolling '
                                                                                            'drones to reach '
                                                                                            'internal '
                                                                                            'elevators.',
                                                                                   'description': 'Bypass '
                                                                                                  'the '
                                                                                                  'security '
                                                                                                  'floor '
                                                                                                  'patrolling '
                                                                                                  'drones to '
                                                                                                  'reach '
                                                                                                  'internal '
                                                                                                  'elevators.',
                                                                                   'optional': False,
                                                                                   'hidden': False,
                                                                                   'target': 1,
                                                                                   'metadata': {'trigger': {'event': 'area:entered',
                                                                                                            'areaId': 'corporate_security_floor'},
                                                                                                'tags': []},
                                                                                   'progress': 0,
                                                                                   'status': 'pending',
                                                                                   'blocked': None},
                                                     'obj_locate_server_room': {'id': 'obj_locate_server_room',
                                                                                'title': 'Secure a path to '
                                                                                         'the server access '
                                                                                         'hall deep within '
                                                                                         'NeuroSync HQ.',
                                                                                'description': 'Secure a '
                                                                                               'path to the '
                                                                                               'server '
                                                                                               'access hall '
                                                                                               'deep within '
                                                                                               'NeuroSync '
                                                                                               'HQ.',
                                                                                'optional': False,
                                                                                'hidden': False,
                                                                                'target': 1,
                                                                                'metadata': {'trigger': {'event': 'area:entered',
                                                                                                         'areaId': 'corporate_server_access'},
                                                                                             'tags': []},
                                                                                'progress': 0,
                                                                                'status': 'pending',
                                                                                'blocked': None},
                                                     'obj_clone_encryption_core': {'id': 'obj_clone_encryption_core',
                                                                                   'title': 'Clone the '
                                                                                            'NeuroSync '
                                                                                            'encryption core '
                                                                                            'without '
                                                                                            'tripping '
                                                                                            'forensic '
                                                                                            'sensors.',
                                                                                   'description': 'Clone the '
                                                                                                  'NeuroSync '
                                                                                                  'encryption '
                                                                                                  'core '
                                                                                                  'without '
                                                                                                  'tripping '
                                                                                                  'forensic '
                                                                                                  'sensors.',
                                                                                   'optional': False,
                                                                                   'hidden': False,
                                                                                   'target': 1,
                                                                                   'metadata': {'trigger': {'event': 'area:entered',
                                                                                                            'areaId': 'corporate_encryption_lab'},
                                                                                                'tags': []},
                                                                                   'progress': 0,
                                                                                   'status': 'pending',
                                                                                   'blocked': None},
                                                     'obj_exfiltrate_with_data': {'id': 'obj_exfiltrate_with_data',
                                                                                  'title': 'Exfiltrate with '
                                                                                           'the stolen data '
                                                                                           'packages before '
                                                                                           'countermeasures '
                                                                                           'deploy.',
                                                                                  'description': 'Exfiltrate '
                                                                                                 'with the '
                                                                                                 'stolen '
                                                                                                 'data '
                                                                                                 'packages '
                                                                                                 'before '
                                                                                                 'countermeasures '
                                                                                                 'deploy.',
                                                                                  'optional': False,
                                                                                  'hidden': False,
                                                                                  'target': 1,
                                                                                  'metadata': {'trigger': {'event': 'area:entered',
                                                                                                           'areaId': 'corporate_exfiltration_route'},
                                                                                               'tags': []},
                                                                                  'progress': 0,
                                                                                  'status': 'pending',
                                                                                  'blocked': None}},
                                      'blockedObjectives': {},
                                      'lastBlockedAt': None,
                                      'lastBlocked': None,
                                      'metadata': {'act': 'act2',
                                                   'prerequisites': {'storyFlags': ['act2_branch_corporate_selected']}},
                                      'objectivesOrder': ['obj_infiltrate_lobby',
                                                          'obj_bypass_security_floor',
                                                          'obj_locate_server_room',
                                                          'obj_clone_encryption_core',
                                                          'obj_exfiltrate_with_data'],
                                      'description': 'Slip past NeuroSync security to uncover how the '
                                                     'corporation is tied to Project Archive.',
                                      'rewards': {'storyFlags': ['act2_neurosync_interior_explored',
                                                                 'act2_neurosync_encryption_cloned',
                                                                 'act2_neurosync_data_exfiltrated'],
                                                  'knowledgeIds': ['neurosync_security_layout',
                                                                   'neurosync_encryption_blueprints']},
                                      'act': 'act2',
                                      'autoStart': False,
                                      'branches': [{'condition': {'storyFlags': ['act2_neurosync_interior_explored']},
                                                    'nextQuest': 'main-act2-dr-chen'}]},
 'main-act2-archivist-alliance': {'id': 'main-act2-archivist-alliance',
                                  'title': 'Archivist Alliance',
                                  'type': 'main',
                                  'status': 'not_started',
                                  'startedAt': None,
                                  'completedAt': None,
                                  'failedAt': None,
                                  'objectives': {'obj_locate_resistance_contact': {'id': 'obj_locate_resistance_contact',
                                                                                   'title': 'Reach the '
                                                                                            'Archivist '
                                                                                            'hideout without '
                                                                                            'leading '
                                                                                            'corporate '
                                                                                            'surveillance.',
                                                                                   'description': 'Reach the '
                                                                                                  'Archivist '
                                                                                                  'hideout '
                                                                                                  'without '
                                                                                                  'leading '
                                                                                                  'corporate '
                                                                                                  'surveillance.',
                                                                                   'optional': False,
                                                                                   'hidden': False,
                                                                                   'target': 1,
                                                                                   'metadata': {'trigger': {'event': 'area:entered',
                                                                                                            'areaId': 'resistance_contact_entry'},
                                                                                                'tags': []},
                                                                                   'progress': 0,
                                                                                   'status': 'pending',
                                                                                   'blocked': None},
                                                 'obj_negotiate_alliance_terms': {'id': 'obj_negotiate_alliance_terms',
                                                                                  'title': 'Negotiate terms '
                                                                                           'with the '
                                                                                           'resistance '
                                                                                           'council at the '
                                                                                           'strategy table.',
                                                                                  'description': 'Negotiate '
                                                                                                 'terms with '
                                                                                                 'the '
                                                                                                 'resistance '
                                                                                                 'council at '
                                                                                                 'the '
                                                                                                 'strategy '
                                                                                                 'table.',
                                                                                  'optional': False,
                                                                                  'hidden': False,
                                                                                  'target': 1,
                                                                                  'metadata': {'trigger': {'event': 'area:entered',
                                                                                                           'areaId': 'resistance_strategy_table'},
                                                                                               'tags': []},
                                                                                  'progress': 0,
                                                                                  'status': 'pending',
                                                                                  'blocked': None},
                                                 'obj_secure_escape_routes': {'id': 'obj_secure_escape_routes',
                                                                              'title': 'Map the tunnel '
                                                                                       'network to unlock '
                                                                                       'shared extraction '
                                                                                       'routes.',
                                                                              'description': 'Map the tunnel '
                                                                                             'network to '
                                                                                             'unlock shared '
                                                                                             'extraction '
                                                                                             'routes.',
                                                                              'optional': False,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'area:entered',
                                                                                                       'areaId': 'resistance_escape_tunnel'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                                 'obj_coordinate_joint_ops': {'id': 'obj_coordinate_joint_ops',
                                                                              'title': 'Coordinate joint '
                                                                                       'operations with the '
                                                                                       'Archivist strike '
                                                                                       'teams.',
                                                                              'description': 'Coordinate '
                                                                                             'joint '
                                                                                             'operations '
                                                                                             'with the '
                                                                                             'Archivist '
                                                                                             'strike teams.',
                                                                              'optional': False,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'area:entered',
                                                                                                       'areaId': 'resistance_coordination_chamber'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                                 'obj_prime_signal_array': {'id': 'obj_prime_signal_array',
                                                                            'title': 'Prime the encrypted '
                                                                                     'signal array to keep '
                                                                                     'the alliance hidden.',
                                                                            'description': 'Prime the '
                                                                                           'encrypted signal '
                                                                                           'array to keep '
                                                                                           'the alliance '
                                                                                           'hidden.',
                                                                            'optional': False,
                                                                            'hidden': False,
                                                                            'target': 1,
                                                                            'metadata': {'trigger': {'event': 'area:entered',
                                                                                                     'areaId': 'resistance_signal_array'},
                                                                                         'tags': []},
                                                                            'progress': 0,
                                                                            'status': 'pending',
                                                                            'blocked': None}},
                                  'blockedObjectives': {},
                                  'lastBlockedAt': None,
                                  'lastBlocked': None,
                                  'metadata': {'act': 'act2',
                                               'prerequisites': {'storyFlags': ['act2_branch_resistance_selected']}},
                                  'objectivesOrder': ['obj_locate_resistance_contact',
                                                      'obj_negotiate_alliance_terms',
                                                      'obj_secure_escape_routes',
                                                      'obj_coordinate_joint_ops',
                                                      'obj_prime_signal_array'],
                                  'description': 'Secure the Archivists as allies by meeting in their '
                                                 'under-city hideout and opening the tunnel network.',
                                  'rewards': {'storyFlags': ['act2_resistance_alliance_secured',
                                                             'act2_resistance_joint_ops_prepared',
                                                             'act2_resistance_signal_ready'],
                                              'knowledgeIds': ['resistance_tunnel_network',
                                                               'resistance_signal_routes'],
                                              'factionReputation': {'archivists': 10}},
                                  'act': 'act2',
                                  'autoStart': False,
                                  'branches': []},
 'main-act2-personal-investigation': {'id': 'main-act2-personal-investigation',
                                      'title': 'Personal Reckoning',
                                      'type': 'main',
                                      'status': 'not_started',
                                      'startedAt': None,
                                      'completedAt': None,
                                      'failedAt': None,
                                      'objectives': {'obj_access_personal_archive': {'id': 'obj_access_personal_archive',
                                                                                     'title': 'Unlock the '
                                                                                              'precinct '
                                                                                              'archive '
                                                                                              'without '
                                                                                              'alerting '
                                                                                              'Internal '
                                                                                              'Affairs '
                                                                                              'monitoring.',
                                                                                     'description': 'Unlock '
                                                                                                    'the '
                                                                                                    'precinct '
                                                                                                    'archive '
                                                                                                    'without '
                                                                                                    'alerting '
                                                                                                    'Internal '
                                                                                                    'Affairs '
                                                                                                    'monitoring.',
                                                                                     'optional': False,
                                                                                     'hidden': False,
                                                                                     'target': 1,
                                                                                     'metadata': {'trigger': {'event': 'area:entered',
                                                                                                              'areaId': 'personal_archive_entry'},
                                                                                                  'tags': []},
                                                                                     'progress': 0,
                                                                                     'status': 'pending',
                                                                                     'blocked': None},
                                                     'obj_reconstruct_cold_cases': {'id': 'obj_reconstruct_cold_cases',
                                                                                    'title': 'Review the '
                                                                                             'sealed case '
                                                                                             'files to '
                                                                                             'recover '
                                                                                             'suppressed '
                                                                                             'evidence '
                                                                                             'chains.',
                                                                                    'description': 'Review '
                                                                                                   'the '
                                                                                                   'sealed '
                                                                                                   'case '
                                                                                                   'files to '
                                                                                                   'recover '
                                                                                                   'suppressed '
                                                                                                   'evidence '
                                                                                                   'chains.',
                                                                                    'optional': False,
                                                                                    'hidden': False,
                                                                                    'target': 1,
                                                                                    'metadata': {'trigger': {'event': 'area:entered',
                                                                                                             'areaId': 'personal_casefile_review'},
                                                                                                 'tags': []},
                                                                                    'progress': 0,
                                                                                    'status': 'pending',
                                                                                    'blocked': None},
                                                     'obj_unlock_memory_vault': {'id': 'obj_unlock_memory_vault',
                                                                                 'title': 'Collect the final '
                                                                                          'testimony by '
                                                                                          'accessing the '
                                                                                          'secure memory '
                                                                                          'vault.',
                                                                                 'description': 'Collect the '
                                                                                                'final '
                                                                                                'testimony '
                                                                                                'by '
                                                                                                'accessing '
                                                                                                'the secure '
                                                                                                'memory '
                                                                                                'vault.',
                                                                                 'optional': False,
                                                                                 'hidden': False,
                                                                                 'target': 1,
                                                                                 'metadata': {'trigger': {'event': 'area:entered',
                                                                                                          'areaId': 'personal_memory_vault'},
                                                                                              'tags': []},
                                                                                 'progress': 0,
                                                                                 'status': 'pending',
                                                                                 'blocked': None},
                                                     'obj_decode_projection_logs': {'id': 'obj_decode_projection_logs',
                                                                                    'title': 'Decode the '
                                                                                             'memory vault '
                                                                                             'projections to '
                                                                                             'stitch '
                                                                                             'together the '
                                                                                             'suppressed '
                                                                                             'timeline.',
                                                                                    'description': 'Decode '
                                                                                                   'the '
                                                                                                   'memory '
                                                                                                   'vault '
                                                                                                   'projections '
                                                                                                   'to '
                                                                                                   'stitch '
                                                                                                   'together '
                                                                                                   'the '
                                                                                                   'suppressed '
                                                                                                   'timeline.',
                                                                                    'optional': False,
                                                                                    'hidden': False,
                                                                                    'target': 1,
                                                                                    'metadata': {'trigger': {'event': 'area:entered',
                                                                                                             'areaId': 'personal_projection_lab'},
                                                                                                 'tags': []},
                                                                                    'progress': 0,
                                                                                    'status': 'pending',
                                                                                    'blocked': None},
                                                     'obj_schedule_public_exposure': {'id': 'obj_schedule_public_exposure',
                                                                                      'title': 'Schedule the '
                                                                                               'shadow '
                                                                                               'broadcast '
                                                                                               'that will '
                                                                                               'expose the '
                                                                                               'conspiracy '
                                                                                               'network.',
                                                                                      'description': 'Schedule '
                                                                                                     'the '
                                                                                                     'shadow '
                                                                                                     'broadcast '
                                                                                                     'that '
                                                                                                     'will '
                                                                                                     'expose '
                                                                                                     'the '
                                                                                                     'conspiracy '
                                                                                                     'network.',
                                                                                      'optional': False,
                                                                                      'hidden': False,
                                                                                      'target': 1,
                                                                                      'metadata': {'trigger': {'event': 'area:entered',
                                                                                                               'areaId': 'personal_broadcast_terminal'},
                                                                                                   'tags': []},
                                                                                      'progress': 0,
                                                                                      'status': 'pending',
                                                                                      'blocked': None}},
                                      'blockedObjectives': {},
                                      'lastBlockedAt': None,
                                      'lastBlocked': None,
                                      'metadata': {'act': 'act2',
                                                   'prerequisites': {'storyFlags': ['act2_branch_personal_selected']}},
                                      'objectivesOrder': ['obj_access_personal_archive',
                                                          'obj_reconstruct_cold_cases',
                                                          'obj_unlock_memory_vault',
                                                          'obj_decode_projection_logs',
                                                          'obj_schedule_public_exposure'],
                                      'description': 'Return to the sealed Mid-City precinct archives, '
                                                     'reconstruct disputed cases, and unlock testimony that '
                                                     "exposes the conspiracy around Kira's missing allies.",
                                      'rewards': {'storyFlags': ['act2_personal_archive_uncovered',
                                                                 'act2_personal_projection_decoded',
                                                                 'act2_personal_broadcast_committed'],
                                                  'knowledgeIds': ['personal_memory_threads',
                                                                   'personal_projection_map'],
                                                  'factionReputation': {'independents': 5}},
                                      'act': 'act2',
                                      'autoStart': False,
                                      'branches': [{'condition': {'storyFlags': ['act2_personal_archive_uncovered']},
                                                    'nextQuest': 'main-act2-conspiracy-web'}]},
 'main-act2-crossroads': {'id': 'main-act2-crossroads',
                          'title': 'Crossroads Hub',
                          'type': 'main',
                          'status': 'not_started',
                          'startedAt': None,
                          'completedAt': None,
                          'failedAt': None,
                          'objectives': {'obj_enter_corporate_spires': {'id': 'obj_enter_corporate_spires',
                                                                        'title': 'Present forged credentials '
                                                                                 'at the corporate spires '
                                                                                 'checkpoint.',
                                                                        'description': 'Present forged '
                                                                                       'credentials at the '
                                                                                       'corporate spires '
                                                                                       'checkpoint.',
                                                                        'optional': False,
                                                                        'hidden': False,
                                                                        'target': 1,
                                                                        'metadata': {'trigger': {'event': 'area:entered',
                                                                                                 'areaId': 'corporate_spires_checkpoint'},
                                                                                     'tags': []},
                                                                        'progress': 0,
                                                                        'status': 'pending',
                                                                        'blocked': None},
                                         'obj_attend_zara_briefing': {'id': 'obj_attend_zara_briefing',
                                                                      'title': "Review Zara's dossier on the "
                                                                               'three investigation threads.',
                                                                      'description': "Review Zara's dossier "
                                                                                     'on the three '
                                                                                     'investigation threads.',
                                                                      'optional': False,
                                                                      'hidden': False,
                                                                      'target': 1,
                                                                      'metadata': {'trigger': {'event': 'narrative:crossroads_prompt',
                                                                                               'areaId': 'safehouse_briefing_table'},
                                                                                   'tags': []},
                                                                      'progress': 0,
                                                                      'status': 'pending',
                                                                      'blocked': None},
                                         'obj_choose_investigation_thread': {'id': 'obj_choose_investigation_thread',
                                                                             'title': 'Commit to a thread to '
                                                                                      'pursue first.',
                                                                             'description': 'Commit to a '
                                                                                            'thread to '
                                                                                            'pursue first.',
                                                                             'optional': False,
                                                                             'hidden': False,
                                                                             'target': 1,
                                                                             'metadata': {'trigger': {'event': 'crossroads:thread_selected',
                                                                                                      'questId': 'main-act2-crossroads'},
                                                                                          'tags': []},
                                                                             'progress': 0,
                                                                             'status': 'pending',
                                                                             'blocked': None}},
                          'blockedObjectives': {},
                          'lastBlockedAt': None,
                          'lastBlocked': None,
                          'metadata': {'act': 'act2', 'prerequisites': {'storyFlags': ['act1_complete']}},
                          'objectivesOrder': ['obj_enter_corporate_spires',
                                              'obj_attend_zara_briefing',
                                              'obj_choose_investigation_thread'],
                          'description': 'Commit to an investigative thread for Act 2 by clearing the '
                                         'checkpoint, syncing with Zara, and choosing the first lead to '
                                         'pursue.',
                          'rewards': None,
                          'act': 'act2',
                          'autoStart': False,
                          'branches': [{'condition': {'storyFlags': ['act2_branch_corporate_selected']},
                                        'nextQuest': 'main-act2-neurosync-infiltration'},
                                       {'condition': {'storyFlags': ['act2_branch_resistance_selected']},
                                        'nextQuest': 'main-act2-archivist-alliance'},
                                       {'condition': {'storyFlags': ['act2_branch_personal_selected']},
                                        'nextQuest': 'main-act2-personal-investigation'}]},
 'main-act3-gathering-support': {'id': 'main-act3-gathering-support',
                                 'title': 'Gathering Support',
                                 'type': 'main',
                                 'status': 'not_started',
                                 'startedAt': None,
                                 'completedAt': None,
                                 'failedAt': None,
                                 'objectives': {'obj_commit_act3_stance': {'id': 'obj_commit_act3_stance',
                                                                           'title': 'Commit to a stance for '
                                                                                    'confronting Dr. '
                                                                                    'Morrow’s Archive '
                                                                                    'broadcast.',
                                                                           'description': 'Commit to a '
                                                                                          'stance for '
                                                                                          'confronting Dr. '
                                                                                          'Morrow’s Archive '
                                                                                          'broadcast.',
                                                                           'optional': False,
                                                                           'hidden': False,
                                                                           'target': 1,
                                                                           'metadata': {'trigger': {'event': 'act3:stance_committed',
                                                                                                    'questId': 'main-act3-gathering-support'},
                                                                                        'tags': []},
                                                                           'progress': 0,
                                                                           'status': 'pending',
                                                                           'blocked': None},
                                                'obj_opposition_recruit_dr_chen': {'id': 'obj_opposition_recruit_dr_chen',
                                                                                   'title': 'Persuade Dr. '
                                                                                            'Chen to '
                                                                                            'surrender '
                                                                                            'NeuroSync '
                                                                                            'backdoor '
                                                                                            'credentials for '
                                                                                            'a surgical '
                                                                                            'shutdown.',
                                                                                   'description': 'Persuade '
                                                                                                  'Dr. Chen '
                                                                                                  'to '
                                                                                                  'surrender '
                                                                                                  'NeuroSync '
                                                                                                  'backdoor '
                                                                                                  'credentials '
                                                                                                  'for a '
                                                                                                  'surgical '
                                                                                                  'shutdown.',
                                                                                   'optional': False,
                                                                                   'hidden': False,
                                                                                   'target': 1,
                                                                                   'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                            'branchId': 'opposition',
                                                                                                            'milestoneId': 'opposition_recruit_dr_chen',
                                                                                                            'objectiveId': 'obj_opposition_recruit_dr_chen'},
                                                                                                'tags': []},
                                                                                   'progress': 0,
                                                                                   'status': 'pending',
                                                                                   'blocked': None},
                                                'obj_opposition_confront_soren': {'id': 'obj_opposition_confront_soren',
                                                                                  'title': 'Win Soren’s '
                                                                                           'begrudging '
                                                                                           'support so the '
                                                                                           'resistance '
                                                                                           'stands down '
                                                                                           'during the op.',
                                                                                  'description': 'Win '
                                                                                                 'Soren’s '
                                                                                                 'begrudging '
                                                                                                 'support so '
                                                                                                 'the '
                                                                                                 'resistance '
                                                                                                 'stands '
                                                                                                 'down '
                                                                                                 'during the '
                                                                                                 'op.',
                                                                                  'optional': False,
                                                                                  'hidden': False,
                                                                                  'target': 1,
                                                                                  'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                           'branchId': 'opposition',
                                                                                                           'milestoneId': 'opposition_confront_soren',
                                                                                                           'objectiveId': 'obj_opposition_confront_soren'},
                                                                                               'tags': []},
                                                                                  'progress': 0,
                                                                                  'status': 'pending',
                                                                                  'blocked': None},
                                                'obj_opposition_secure_mcd_override': {'id': 'obj_opposition_secure_mcd_override',
                                                                                       'title': 'Acquire '
                                                                                                'Municipal '
                                                                                                'Defense '
                                                                                                'override '
                                                                                                'credentials '
                                                                                                'to bypass '
                                                                                                'Archive '
                                                                                                'security '
                                                                                                'corridors.',
                                                                                       'description': 'Acquire '
                                                                                                      'Municipal '
                                                                                                      'Defense '
                                                                                                      'override '
                                                                                                      'credentials '
                                                                                                      'to '
                                                                                                      'bypass '
                                                                                                      'Archive '
                                                                                                      'security '
                                                                                                      'corridors.',
                                                                                       'optional': False,
                                                                                       'hidden': False,
                                                                                       'target': 1,
                                                                                       'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                                'branchId': 'opposition',
                                                                                                                'milestoneId': 'opposition_secure_mcd_override',
                                                                                                                'objectiveId': 'obj_opposition_secure_mcd_override'},
                                                                                                    'tags': []},
                                                                                       'progress': 0,
                                                                                       'status': 'pending',
                                                                                       'blocked': None},
                                                'obj_support_upgrade_broadcast_grid': {'id': 'obj_support_upgrade_broadcast_grid',
                                                                                       'title': 'Work with '
                                                                                                'Zara to '
                                                                                                'amplify '
                                                                                                'Archive '
                                                                                                'signal '
                                                                                                'relays '
                                                                                                'before the '
                                                                                                'citywide '
                                                                                                'reveal.',
                                                                                       'description': 'Work '
                                                                                                      'with '
                                                                                                      'Zara '
                                                                                                      'to '
                                                                                                      'amplify '
                                                                                                      'Archive '
                                                                                                      'signal '
                                                                                                      'relays '
                                                                                                      'before '
                                                                                                      'the '
                                                                                                      'citywide '
                                                                                                      'reveal.',
                                                                                       'optional': False,
                                                                                       'hidden': False,
                                                                                       'target': 1,
                                                                                       'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                                'branchId': 'support',
                                                                                                                'milestoneId': 'support_upgrade_broadcast_grid',
                                                                                                                'objectiveId': 'obj_support_upgrade_broadcast_grid'},
                                                                                                    'tags': []},
                                                                                       'progress': 0,
                                                                                       'status': 'pending',
                                                                                       'blocked': None},
                                                'obj_support_prepare_resistance_response': {'id': 'obj_support_prepare_resistance_response',
                                                                                            'title': 'Mobilize '
                                                                                                     'Soren’s '
                                                                                                     'cells '
                                                                                                     'to '
                                                                                                     'manage '
                                                                                                     'trauma '
                                                                                                     'relief '
                                                                                                     'once '
                                                                                                     'memories '
                                                                                                     'flood '
                                                                                                     'the '
                                                                                                     'streets.',
                                                                                            'description': 'Mobilize '
                                                                                                           'Soren’s '
                                                                                                           'cells '
                                                                                                           'to '
                                                                                                           'manage '
                                                                                                           'trauma '
                                                                                                           'relief '
                                                                                                           'once '
                                                                                                           'memories '
                                                                                                           'flood '
                                                                                                           'the '
                                                                                                           'streets.',
                                                                                            'optional': False,
                                                                                            'hidden': False,
                                                                                            'target': 1,
                                                                                            'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                                     'branchId': 'support',
                                                                                                                     'milestoneId': 'support_prepare_resistance_response',
                                                                                                                     'objectiveId': 'obj_support_prepare_resistance_response'},
                                                                                                         'tags': []},
                                                                                            'progress': 0,
                                                                                            'status': 'pending',
                                                                                            'blocked': None},
                                                'obj_support_dr_chen_ethics': {'id': 'obj_support_dr_chen_ethics',
                                                                               'title': 'Address Dr. Chen’s '
                                                                                        'ethical objections '
                                                                                        'so she calibrates '
                                                                                        'the neural '
                                                                                        'dampeners.',
                                                                               'description': 'Address Dr. '
                                                                                              'Chen’s '
                                                                                              'ethical '
                                                                                              'objections so '
                                                                                              'she '
                                                                                              'calibrates '
                                                                                              'the neural '
                                                                                              'dampeners.',
                                                                               'optional': False,
                                                                               'hidden': False,
                                                                               'target': 1,
                                                                               'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                        'branchId': 'support',
                                                                                                        'milestoneId': 'support_dr_chen_ethics',
                                                                                                        'objectiveId': 'obj_support_dr_chen_ethics'},
                                                                                            'tags': []},
                                                                               'progress': 0,
                                                                               'status': 'pending',
                                                                               'blocked': None},
                                                'obj_alternative_collect_dossier': {'id': 'obj_alternative_collect_dossier',
                                                                                    'title': 'Coordinate '
                                                                                             'with Zara to '
                                                                                             'extract '
                                                                                             'sanitized '
                                                                                             'evidence '
                                                                                             'slices for the '
                                                                                             'dossier.',
                                                                                    'description': 'Coordinate '
                                                                                                   'with '
                                                                                                   'Zara to '
                                                                                                   'extract '
                                                                                                   'sanitized '
                                                                                                   'evidence '
                                                                                                   'slices '
                                                                                                   'for the '
                                                                                                   'dossier.',
                                                                                    'optional': False,
                                                                                    'hidden': False,
                                                                                    'target': 1,
                                                                                    'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                             'branchId': 'alternative',
                                                                                                             'milestoneId': 'alternative_collect_dossier',
                                                                                                             'objectiveId': 'obj_alternative_collect_dossier'},
                                                                                                 'tags': []},
                                                                                    'progress': 0,
                                                                                    'status': 'pending',
                                                                                    'blocked': None},
                                                'obj_alternative_build_coalition': {'id': 'obj_alternative_build_coalition',
                                                                                    'title': 'Win the '
                                                                                             'support of '
                                                                                             'journalists '
                                                                                             'and community '
                                                                                             'advocates to '
                                                                                             'steward the '
                                                                                             'release.',
                                                                                    'description': 'Win the '
                                                                                                   'support '
                                                                                                   'of '
                                                                                                   'journalists '
                                                                                                   'and '
                                                                                                   'community '
                                                                                                   'advocates '
                                                                                                   'to '
                                                                                                   'steward '
                                                                                                   'the '
                                                                                                   'release.',
                                                                                    'optional': False,
                                                                                    'hidden': False,
                                                                                    'target': 1,
                                                                                    'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                             'branchId': 'alternative',
                                                                                                             'milestoneId': 'alternative_build_coalition',
                                                                                                             'objectiveId': 'obj_alternative_build_coalition'},
                                                                                                 'tags': []},
                                                                                    'progress': 0,
                                                                                    'status': 'pending',
                                                                                    'blocked': None},
                                                'obj_alternative_stage_distribution': {'id': 'obj_alternative_stage_distribution',
                                                                                       'title': 'Partner '
                                                                                                'with Iris '
                                                                                                'to deploy '
                                                                                                'the staged '
                                                                                                'release '
                                                                                                'pipeline '
                                                                                                'across city '
                                                                                                'intranets.',
                                                                                       'description': 'Partner '
                                                                                                      'with '
                                                                                                      'Iris '
                                                                                                      'to '
                                                                                                      'deploy '
                                                                                                      'the '
                                                                                                      'staged '
                                                                                                      'release '
                                                                                                      'pipeline '
                                                                                                      'across '
                                                                                                      'city '
                                                                                                      'intranets.',
                                                                                       'optional': False,
                                                                                       'hidden': False,
                                                                                       'target': 1,
                                                                                       'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                                'branchId': 'alternative',
                                                                                                                'milestoneId': 'alternative_stage_distribution',
                                                                                                                'objectiveId': 'obj_alternative_stage_distribution'},
                                                                                                    'tags': []},
                                                                                       'progress': 0,
                                                                                       'status': 'pending',
                                                                                       'blocked': None},
                                                'obj_visit_dmitri': {'id': 'obj_visit_dmitri',
                                                                     'title': 'Visit Dmitri’s comatose body '
                                                                              'in the Archive hospice to '
                                                                              'anchor the mission stakes.',
                                                                     'description': 'Visit Dmitri’s comatose '
                                                                                    'body in the Archive '
                                                                                    'hospice to anchor the '
                                                                                    'mission stakes.',
                                                                     'optional': False,
                                                                     'hidden': False,
                                                                     'target': 1,
                                                                     'metadata': {'trigger': {'event': 'area:entered',
                                                                                              'areaId': 'archive_care_facility_dmitri'},
                                                                                  'tags': []},
                                                                     'progress': 0,
                                                                     'status': 'pending',
                                                                     'blocked': None},
                                                'obj_prepare_archive_loadout': {'id': 'obj_prepare_archive_loadout',
                                                                                'title': 'Finalize gear with '
                                                                                         'Zara for the '
                                                                                         'Archive '
                                                                                         'infiltration and '
                                                                                         'sync telemetry '
                                                                                         'failsafes.',
                                                                                'description': 'Finalize '
                                                                                               'gear with '
                                                                                               'Zara for the '
                                                                                               'Archive '
                                                                                               'infiltration '
                                                                                               'and sync '
                                                                                               'telemetry '
                                                                                               'failsafes.',
                                                                                'optional': False,
                                                                                'hidden': False,
                                                                                'target': 1,
                                                                                'metadata': {'trigger': {'event': 'act3:gathering_support:milestone',
                                                                                                         'branchId': 'shared',
                                                                                                         'milestoneId': 'shared_prepare_archive_loadout',
                                                                                                         'objectiveId': 'obj_prepare_archive_loadout'},
                                                                                             'tags': []},
                                                                                'progress': 0,
                                                                                'status': 'pending',
                                                                                'blocked': None}},
                                 'blockedObjectives': {},
                                 'lastBlockedAt': None,
                                 'lastBlocked': None,
                                 'metadata': {'act': 'act3',
                                              'prerequisites': {'storyFlags': ['act3_plan_committed']}},
                                 'objectivesOrder': ['obj_commit_act3_stance',
                                                     'obj_opposition_recruit_dr_chen',
                                                     'obj_opposition_confront_soren',
                                                     'obj_opposition_secure_mcd_override',
                                                     'obj_support_upgrade_broadcast_grid',
                                                     'obj_support_prepare_resistance_response',
                                                     'obj_support_dr_chen_ethics',
                                                     'obj_alternative_collect_dossier',
                                                     'obj_alternative_build_coalition',
                                                     'obj_alternative_stage_distribution',
                                                     'obj_visit_dmitri',
                                                     'obj_prepare_archive_loadout'],
                                 'description': 'Secure allies, resources, and failsafes aligned with your '
                                                'chosen stance before infiltrating the Archive.',
                                 'rewards': {'storyFlags': ['act3_gathering_support_complete'],
                                             'knowledgeIds': ['act3_support_network_locked_in']},
                                 'act': 'act3',
                                 'autoStart': False,
                                 'branches': [{'condition': {'storyFlags': ['act3_branch_opposition']},
                                               'nextQuest': None,
                                               'metadata': {'stanceId': 'opposition'}},
                                              {'condition': {'storyFlags': ['act3_branch_support']},
                                               'nextQuest': None,
                                               'metadata': {'stanceId': 'support'}},
                                              {'condition': {'storyFlags': ['act3_branch_alternative']},
                                               'nextQuest': None,
                                               'metadata': {'stanceId': 'alternative'}}]},
 'main-act3-zenith-infiltration': {'id': 'main-act3-zenith-infiltration',
                                   'title': 'Zenith Sector Infiltration',
                                   'type': 'main',
                                   'status': 'not_started',
                                   'startedAt': None,
                                   'completedAt': None,
                                   'failedAt': None,
                                   'objectives': {'obj_zenith_sector_entry': {'id': 'obj_zenith_sector_entry',
                                                                              'title': 'Breach the Zenith '
                                                                                       'Sector perimeter '
                                                                                       'using your chosen '
                                                                                       'stance assets.',
                                                                              'description': 'Breach the '
                                                                                             'Zenith Sector '
                                                                                             'perimeter '
                                                                                             'using your '
                                                                                             'chosen stance '
                                                                                             'assets.',
                                                                              'optional': False,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                       'questId': 'main-act3-zenith-infiltration',
                                                                                                       'branchId': 'shared',
                                                                                                       'stageId': 'shared_sector_entry',
                                                                                                       'objectiveId': 'obj_zenith_sector_entry'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                                  'obj_zenith_tower_ascent': {'id': 'obj_zenith_tower_ascent',
                                                                              'title': 'Ascend the '
                                                                                       'government towers '
                                                                                       'while evading elite '
                                                                                       'Zenith security.',
                                                                              'description': 'Ascend the '
                                                                                             'government '
                                                                                             'towers while '
                                                                                             'evading elite '
                                                                                             'Zenith '
                                                                                             'security.',
                                                                              'optional': False,
                                                                              'hidden': False,
                                                                              'target': 1,
                                                                              'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                       'questId': 'main-act3-zenith-infiltration',
                                                                                                       'branchId': 'shared',
                                                                                                       'stageId': 'shared_tower_ascent',
                                                                                                       'objectiveId': 'obj_zenith_tower_ascent'},
                                                                                           'tags': []},
                                                                              'progress': 0,
                                                                              'status': 'pending',
                                                                              'blocked': None},
                                                  'obj_zenith_archive_elevator': {'id': 'obj_zenith_archive_elevator',
                                                                                  'title': 'Reach the '
                                                                                           'concealed '
                                                                                           'Archive elevator '
                                                                                           'beneath Zenith '
                                                                                           'Plaza.',
                                                                                  'description': 'Reach the '
                                                                                                 'concealed '
                                                                                                 'Archive '
                                                                                                 'elevator '
                                                                                                 'beneath '
                                                                                                 'Zenith '
                                                                                                 'Plaza.',
                                                                                  'optional': False,
                                                                                  'hidden': False,
                                                                                  'target': 1,
                                                                                  'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                           'questId': 'main-act3-zenith-infiltration',
                                                                                                           'branchId': 'shared',
                                                                                                           'stageId': 'shared_archive_elevator',
                                                                                                           'objectiveId': 'obj_zenith_archive_elevator'},
                                                                                               'tags': []},
                                                                                  'progress': 0,
                                                                                  'status': 'pending',
                                                                                  'blocked': None},
                                                  'obj_zenith_opposition_disable_grid': {'id': 'obj_zenith_opposition_disable_grid',
                                                                                         'title': 'Disable '
                                                                                                  'Zenith '
                                                                                                  'security '
                                                                                                  'grid '
                                                                                                  'nodes '
                                                                                                  'using '
                                                                                                  'municipal '
                                                                                                  'override '
                                                                                                  'codes.',
                                                                                         'description': 'Disable '
                                                                                                        'Zenith '
                                                                                                        'security '
                                                                                                        'grid '
                                                                                                        'nodes '
                                                                                                        'using '
                                                                                                        'municipal '
                                                                                                        'override '
                                                                                                        'codes.',
                                                                                         'optional': False,
                                                                                         'hidden': False,
                                                                                         'target': 1,
                                                                                         'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                  'questId': 'main-act3-zenith-infiltration',
                                                                                                                  'branchId': 'opposition',
                                                                                                                  'stageId': 'opposition_disable_grid',
                                                                                                                  'objectiveId': 'obj_zenith_opposition_disable_grid'},
                                                                                                      'tags': []},
                                                                                         'progress': 0,
                                                                                         'status': 'pending',
                                                                                         'blocked': None},
                                                  'obj_zenith_opposition_calibrate_dampeners': {'id': 'obj_zenith_opposition_calibrate_dampeners',
                                                                                                'title': 'Apply '
                                                                                                         'Dr. '
                                                                                                         "Chen's "
                                                                                                         'dampener '
                                                                                                         'calibrations '
                                                                                                         'to '
                                                                                                         'mask '
                                                                                                         'the '
                                                                                                         'infiltration.',
                                                                                                'description': 'Apply '
                                                                                                               'Dr. '
                                                                                                               "Chen's "
                                                                                                               'dampener '
                                                                                                               'calibrations '
                                                                                                               'to '
                                                                                                               'mask '
                                                                                                               'the '
                                                                                                               'infiltration.',
                                                                                                'optional': False,
                                                                                                'hidden': False,
                                                                                                'target': 1,
                                                                                                'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                         'questId': 'main-act3-zenith-infiltration',
                                                                                                                         'branchId': 'opposition',
                                                                                                                         'stageId': 'opposition_calibrate_dampeners',
                                                                                                                         'objectiveId': 'obj_zenith_opposition_calibrate_dampeners'},
                                                                                                             'tags': []},
                                                                                                'progress': 0,
                                                                                                'status': 'pending',
                                                                                                'blocked': None},
                                                  'obj_zenith_opposition_resistance_diversion': {'id': 'obj_zenith_opposition_resistance_diversion',
                                                                                                 'title': 'Coordinate '
                                                                                                          "Soren's "
                                                                                                          'resistance '
                                                                                                          'teams '
                                                                                                          'to '
                                                                                                          'create '
                                                                                                          'a '
                                                                                                          'silent '
                                                                                                          'diversion.',
                                                                                                 'description': 'Coordinate '
                                                                                                                "Soren's "
                                                                                                                'resistance '
                                                                                                                'teams '
                                                                                                                'to '
                                                                                                                'create '
                                                                                                                'a '
                                                                                                                'silent '
                                                                                                                'diversion.',
                                                                                                 'optional': False,
                                                                                                 'hidden': False,
                                                                                                 'target': 1,
                                                                                                 'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                          'questId': 'main-act3-zenith-infiltration',
                                                                                                                          'branchId': 'opposition',
                                                                                                                          'stageId': 'opposition_resistance_diversion',
                                                                                                                          'objectiveId': 'obj_zenith_opposition_resistance_diversion'},
                                                                                                              'tags': []},
                                                                                                 'progress': 0,
                                                                                                 'status': 'pending',
                                                                                                 'blocked': None},
                                                  'obj_zenith_support_overclock_relays': {'id': 'obj_zenith_support_overclock_relays',
                                                                                          'title': 'Overclock '
                                                                                                   'the '
                                                                                                   'broadcast '
                                                                                                   'relays '
                                                                                                   'to '
                                                                                                   'amplify '
                                                                                                   'the '
                                                                                                   'Archive '
                                                                                                   'signal.',
                                                                                          'description': 'Overclock '
                                                                                                         'the '
                                                                                                         'broadcast '
                                                                                                         'relays '
                                                                                                         'to '
                                                                                                         'amplify '
                                                                                                         'the '
                                                                                                         'Archive '
                                                                                                         'signal.',
                                                                                          'optional': False,
                                                                                          'hidden': False,
                                                                                          'target': 1,
                                                                                          'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                   'questId': 'main-act3-zenith-infiltration',
                                                                                                                   'branchId': 'support',
                                                                                                                   'stageId': 'support_overclock_relays',
                                                                                                                   'objectiveId': 'obj_zenith_support_overclock_relays'},
                                                                                                       'tags': []},
                                                                                          'progress': 0,
                                                                                          'status': 'pending',
                                                                                          'blocked': None},
                                                  'obj_zenith_support_stage_response': {'id': 'obj_zenith_support_stage_response',
                                                                                        'title': 'Stage '
                                                                                                 'resistance '
                                                                                                 'trauma-response '
                                                                                                 'teams '
                                                                                                 'throughout '
                                                                                                 'Zenith '
                                                                                                 'Plaza.',
                                                                                        'description': 'Stage '
                                                                                                       'resistance '
                                                                                                       'trauma-response '
                                                                                                       'teams '
                                                                                                       'throughout '
                                                                                                       'Zenith '
                                                                                                       'Plaza.',
                                                                                        'optional': False,
                                                                                        'hidden': False,
                                                                                        'target': 1,
                                                                                        'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                 'questId': 'main-act3-zenith-infiltration',
                                                                                                                 'branchId': 'support',
                                                                                                                 'stageId': 'support_stage_response',
                                                                                                                 'objectiveId': 'obj_zenith_support_stage_response'},
                                                                                                     'tags': []},
                                                                                        'progress': 0,
                                                                                        'status': 'pending',
                                                                                        'blocked': None},
                                                  'obj_zenith_support_calibrate_dampeners': {'id': 'obj_zenith_support_calibrate_dampeners',
                                                                                             'title': 'Calibrate '
                                                                                                      'citywide '
                                                                                                      'neural '
                                                                                                      'dampeners '
                                                                                                      'with '
                                                                                                      'Dr. '
                                                                                                      "Chen's "
                                                                                                      'assistance.',
                                                                                             'description': 'Calibrate '
                                                                                                            'citywide '
                                                                                                            'neural '
                                                                                                            'dampeners '
                                                                                                            'with '
                                                                                                            'Dr. '
                                                                                                            "Chen's "
                                                                                                            'assistance.',
                                                                                             'optional': False,
                                                                                             'hidden': False,
                                                                                             'target': 1,
                                                                                             'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                      'questId': 'main-act3-zenith-infiltration',
                                                                                                                      'branchId': 'support',
                                                                                                                      'stageId': 'support_calibrate_dampeners',
                                                                                                                      'objectiveId': 'obj_zenith_support_calibrate_dampeners'},
                                                                                                          'tags': []},
                                                                                             'progress': 0,
                                                                                             'status': 'pending',
                                                                                             'blocked': None},
                                                  'obj_zenith_alternative_dossier_upload': {'id': 'obj_zenith_alternative_dossier_upload',
                                                                                            'title': 'Seed '
                                                                                                     'the '
                                                                                                     'curated '
                                                                                                     'Archive '
                                                                                                     'dossier '
                                                                                                     'across '
                                                                                                     "Zenith's "
                                                                                                     'secure '
                                                                                                     'servers.',
                                                                                            'description': 'Seed '
                                                                                                           'the '
                                                                                                           'curated '
                                                                                                           'Archive '
                                                                                                           'dossier '
                                                                                                           'across '
                                                                                                           "Zenith's "
                                                                                                           'secure '
                                                                                                           'servers.',
                                                                                            'optional': False,
                                                                                            'hidden': False,
                                                                                            'target': 1,
                                                                                            'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                     'questId': 'main-act3-zenith-infiltration',
                                                                                                                     'branchId': 'alternative',
                                                                                                                     'stageId': 'alternative_dossier_upload',
                                                                                                                     'objectiveId': 'obj_zenith_alternative_dossier_upload'},
                                                                                                         'tags': []},
                                                                                            'progress': 0,
                                                                                            'status': 'pending',
                                                                                            'blocked': None},
                                                  'obj_zenith_alternative_forum_security': {'id': 'obj_zenith_alternative_forum_security',
                                                                                            'title': 'Secure '
                                                                                                     'coalition '
                                                                                                     'oversight '
                                                                                                     'on the '
                                                                                                     'Zenith '
                                                                                                     'executive '
                                                                                                     'forum.',
                                                                                            'description': 'Secure '
                                                                                                           'coalition '
                                                                                                           'oversight '
                                                                                                           'on '
                                                                                                           'the '
                                                                                                           'Zenith '
                                                                                                           'executive '
                                                                                                           'forum.',
                                                                                            'optional': False,
                                                                                            'hidden': False,
                                                                                            'target': 1,
                                                                                            'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                     'questId': 'main-act3-zenith-infiltration',
                                                                                                                     'branchId': 'alternative',
                                                                                                                     'stageId': 'alternative_forum_security',
                                                                                                                     'objectiveId': 'obj_zenith_alternative_forum_security'},
                                                                                                         'tags': []},
                                                                                            'progress': 0,
                                                                                            'status': 'pending',
                                                                                            'blocked': None},
                                                  'obj_zenith_alternative_beacons_sync': {'id': 'obj_zenith_alternative_beacons_sync',
                                                                                          'title': 'Synchronise '
                                                                                                   'distribution '
                                                                                                   'beacons '
                                                                                                   'for the '
                                                                                                   'controlled '
                                                                                                   'disclosure '
                                                                                                   'plan.',
                                                                                          'description': 'Synchronise '
                                                                                                         'distribution '
                                                                                                         'beacons '
                                                                                                         'for '
                                                                                                         'the '
                                                                                                         'controlled '
                                                                                                         'disclosure '
                                                                                                         'plan.',
                                                                                          'optional': False,
                                                                                          'hidden': False,
                                                                                          'target': 1,
                                                                                          'metadata': {'trigger': {'event': 'act3:zenith_infiltration:stage',
                                                                                                                   'questId': 'main-act3-zenith-infiltration',
                                                                                                                   'branchId': 'alternative',
                                                                                                                   'stageId': 'alternative_beacons_sync',
                                                                                                                   'objectiveId': 'obj_zenith_alternative_beacons_sync'},
                                                                                                       'tags': []},
                                                                                          'progress': 0,
                                                                                          'status': 'pending',
                                                                                          'blocked': None}},
                                   'blockedObjectives': {},
                                   'lastBlockedAt': None,
                                   'lastBlocked': None,
                                   'metadata': {'act': 'act3',
                                                'prerequisites': {'storyFlags': ['act3_gathering_support_complete']}},
                                   'objectivesOrder': ['obj_zenith_sector_entry',
                                                       'obj_zenith_tower_ascent',
                                                       'obj_zenith_archive_elevator',
                                                       'obj_zenith_opposition_disable_grid',
                                                       'obj_zenith_opposition_calibrate_dampeners',
                                                       'obj_zenith_opposition_resistance_diversion',
                                                       'obj_zenith_support_overclock_relays',
                                                       'obj_zenith_support_stage_response',
                                                       'obj_zenith_support_calibrate_dampeners',
                                                       'obj_zenith_alternative_dossier_upload',
                                                       'obj_zenith_alternative_forum_security',
                                                       'obj_zenith_alternative_beacons_sync'],
                                   'description': 'Infiltrate the Zenith Sector and secure a path to the '
                                                  'Archive using the assets gathered for your chosen stance.',
                                   'rewards': {'storyFlags': ['act3_zenith_infiltration_complete'],
                                               'knowledgeIds': ['act3_zenith_sector_mapping']},
                                   'act': 'act3',
                                   'autoStart': False,
                                   'branches': [{'condition': {'storyFlags': ['act3_stance_opposition']},
                                                 'nextQuest': None,
                                                 'metadata': {'stanceId': 'opposition',
                                                              'approachId': 'stealth',
                                                              'worldFlags': ['act3_branch_opposition']}},
                                                {'condition': {'storyFlags': ['act3_stance_support']},
                                                 'nextQuest': None,
                                                 'metadata': {'stanceId': 'support',
                                                              'approachId': 'assault',
                                                              'worldFlags': ['act3_branch_support']}},
                                                {'condition': {'storyFlags': ['act3_stance_alternative']},
                                                 'nextQuest': None,
                                                 'metadata': {'stanceId': 'alternative',
                                                              'approachId': 'social',
                                                              'worldFlags': ['act3_branch_alternative']}}]}}

DISTRICT_RECORDS = {'neon_districts': {'id': 'neon_districts',
                    'name': 'Neon Districts',
                    'shortName': 'Neon',
                    'tier': 'foundation',
                    'controllingFaction': {'base': 'wraith_network',
                                           'current': 'wraith_network',
                                           'previous': None,
                                           'lastChangedAt': None},
                    'influence': {'supportive': ['memory_keepers'],
                                  'competing': ['luminari_syndicate', 'cipher_collective']},
                    'stability': {'base': 38, 'current': 38, 'rating': 'volatile', 'lastChangedAt': None},
                    'security': {'level': 2,
                                 'description': 'Patchwork enforcement by overworked Foundation security, '
                                                'community patrols, and covert corporate spotters. Camera '
                                                'coverage is inconsistent and riddled with blind spots.',
                                 'surveillanceCoverage': 'clustered around transit hubs; alleys largely '
                                                         'unmonitored'},
                    'access': {'defaultUnlocked': True,
                               'fastTravelEnabled': True,
                               'requirements': {},
                               'restrictions': [{'id': 'neon_districts_restriction_curfew_0',
                                                 'type': 'curfew',
                                                 'description': 'Heightened patrols after major story beats '
                                                                'impose curfews; traversal requires stealth '
                                                                'or disguise.',
                                                 'active': False,
                                                 'lastChangedAt': None,
                                                 'metadata': {'type': 'curfew',
                                                              'trigger': 'district_lockdown_story_flag',
                                                              'description': 'Heightened patrols after major '
                                                                             'story beats impose curfews; '
                                                                             'traversal requires stealth or '
                                                                             'disguise.'}}],
                               'unlockedRoutes': [],
                               'restrictionLog': []},
                    'infiltrationRoutes': [{'id': 'maintenance_catwalks',
                                            'type': 'parkour',
                                            'description': 'Stacked catwalks over the mag-line create '
                                                           'rooftop access that bypasses street-level '
                                                           'checkpoints.',
                                            'unlocked': False,
                                            'defaultUnlocked': False,
                                            'unlockedAt': None,
                                            'metadata': {'id': 'maintenance_catwalks',
                                                         'type': 'parkour',
                                                         'description': 'Stacked catwalks over the mag-line '
                                                                        'create rooftop access that bypasses '
                                                                        'street-level checkpoints.'}},
                                           {'id': 'market_tunnels',
                                            'type': 'smuggling',
                                            'description': 'Contraband runners maintain hidden service '
                                                           'corridors behind memory parlors for rapid '
                                                           'escapes.',
                                            'unlocked': False,
                                            'defaultUnlocked': False,
                                            'unlockedAt': None,
                                            'metadata': {'id': 'market_tunnels',
                                                         'type': 'smuggling',
                                                         'description': 'Contraband runners maintain hidden '
                                                                        'service corridors behind memory '
                                                                        'parlors for rapid escapes.'}}],
                    'environment': {'weather': ['acidic drizzle',
                                                'dense neon fog',
                                                'periodic electrical surges'],
                                    'hazards': ['slick walkways',
                                                'crowded vendor plazas',
                                                'illegal clinic radiation bleed'],
                                    'traversal': ['tiered skybridges',
                                                  'maintenance ladders',
                                                  'narrow alleys']},
                    'pointsOfInterest': [{'id': 'memory_parlor_row',
                                          'name': 'Memory Parlor Row',
                                          'type': 'commerce',
                                          'description': 'Cluster of sanctioned and unsanctioned parlors '
                                                         'where memories are traded, altered, or erased.'},
                                         {'id': 'kira_apartment',
                                          'name': "Kira's Apartment",
                                          'type': 'safehouse',
                                          'description': 'Home base with investigation board, contact '
                                                         'network, and access to personal memory archives.'},
                                         {'id': 'transit_substation',
                                          'name': 'Transit Substation K7',
                                          'type': 'transit',
                                          'description': 'Multi-line mag-lev station acting as gateway to '
                                                         'higher tiers; heavily monitored by corporate '
                                                         'scouts.'},
                                         {'id': 'hollow_care_clinic',
                                          'name': 'Hollow Care Clinic',
                                          'type': 'aid',
                                          'description': 'Makeshift care facility for hollow victims. Staff '
                                                         'quietly help the Resistance and Memory Keepers.'}],
                    'narrativeHooks': [{'id': 'starting_case_network',
                                        'summary': 'Introduces Kira’s informant web and the economic '
                                                   'desperation that fuels memory commerce.'},
                                       {'id': 'memory_debt_arc',
                                        'summary': 'Side cases explore the predatory memory debt system and '
                                                   'hint at the larger conspiracy.'},
                                       {'id': 'resistance_contacts',
                                        'summary': 'Provides first contact with Wraith Network liaisons and '
                                                   'seeds trust for Archive Undercity access.'}],
                    'proceduralModifiers': {'encounterDensity': 'high',
                                            'detectionRisk': 'low',
                                            'lootProfile': ['memory_fragments',
                                                            'street_intel',
                                                            'black_market_credentials']},
                    'analytics': {'lockdownsTriggered': 0,
                                  'lastLockdownAt': None,
                                  'stabilityHistory': [],
                                  'controlHistory': []}},
 'corporate_spires': {'id': 'corporate_spires',
                      'name': 'Corporate Spires',
                      'shortName': 'Spires',
                      'tier': 'lattice',
                      'controllingFaction': {'base': 'luminari_syndicate',
                                             'current': 'luminari_syndicate',
                                             'previous': None,
                                             'lastChangedAt': None},
                      'influence': {'supportive': ['cipher_collective'],
                                    'competing': ['vanguard_prime', 'wraith_network']},
                      'stability': {'base': 62, 'current': 62, 'rating': 'tense', 'lastChangedAt': None},
                      'security': {'level': 4,
                                   'description': 'Layered biometric checkpoints, patrol drones, and '
                                                  'adaptive firewall gates enforce corporate secrecy.',
                                   'surveillanceCoverage': '360° camera coverage with AI anomaly detection '
                                                           'across every lobby and elevator'},
                      'access': {'defaultUnlocked': False,
                                 'fastTravelEnabled': False,
                                 'requirements': {'knowledge': ['knowledge_neurosync_connection'],
                                                  'faction': {'luminari_syndicate': {'minFame': 25}},
                                                  'quests': ['case_002_exec_blackmail_completed'],
                                                  'abilities': ['ability_social_engineering_protocol']},
                                 'restrictions': [{'id': 'spires_security_badge',
                                                   'type': 'credential',
                                                   'description': 'Corporate security requires rotating '
                                                                  'clearance badges. Counterfeit badges '
                                                                  'decay after 3 uses.',
                                                   'active': False,
                                                   'lastChangedAt': None,
                                                   'metadata': {'type': 'credential',
                                                                'id': 'spires_security_badge',
                                                                'description': 'Corporate security requires '
                                                                               'rotating clearance badges. '
                                                                               'Counterfeit badges decay '
                                                                               'after 3 uses.'}},
                                                  {'id': 'corporate_spires_restriction_surveillance_1',
                                                   'type': 'surveillance',
                                                   'description': 'Drones flag unauthorized investigative '
                                                                  'devices; requires stealth loadout or '
                                                                  'jammer consumables.',
                                                   'active': False,
                                                   'lastChangedAt': None,
                                                   'metadata': {'type': 'surveillance',
                                                                'description': 'Drones flag unauthorized '
                                                                               'investigative devices; '
                                                                               'requires stealth loadout or '
                                                                               'jammer consumables.'}}],
                                 'unlockedRoutes': [],
                                 'restrictionLog': []},
                      'infiltrationRoutes': [{'id': 'maintenance_winches',
                                              'type': 'vertical',
                                              'description': 'Service winches inside elevator shafts allow '
                                                             'physical infiltration if power is diverted.',
                                              'unlocked': False,
                                              'defaultUnlocked': False,
                                              'unlockedAt': None,
                                              'metadata': {'id': 'maintenance_winches',
                                                           'type': 'vertical',
                                                           'description': 'Service winches inside elevator '
                                                                          'shafts allow physical '
                                                                          'infiltration if power is '
                                                                          'diverted.'}},
                                             {'id': 'skybridge_delivery',
                                              'type': 'disguise',
                                              'description': 'Disguise as corporate logistics to piggyback '
                                                             'on skybridge deliveries during shift change.',
                                              'unlocked': False,
                                              'defaultUnlocked': False,
                                              'unlockedAt': None,
                                              'metadata': {'id': 'skybridge_delivery',
                                                           'type': 'disguise',
                                                           'description': 'Disguise as corporate logistics '
                                                                          'to piggyback on skybridge '
                                                                          'deliveries during shift '
                                                                          'change.'}}],
                      'environment': {'weather': ['controlled climate',
                                                  'atmospheric scrubbers vent cold mist at night'],
                                      'hazards': ['active laser grids',
                                                  'pressure-sealed doors',
                                                  'counterintelligence agents'],
                                      'traversal': ['mag-lift elevators',
                                                    'skybridges',
                                                    'executive helipad platforms']},
                      'pointsOfInterest': [{'id': 'neurosync_research_core',
                                            'name': 'NeuroSync Research Core',
                                            'type': 'research',
                                            'description': 'Flagship laboratory where experimental memory '
                                                           'grafts are developed under tight secrecy.'},
                                           {'id': 'executive_conclave',
                                            'name': 'Executive Conclave Atrium',
                                            'type': 'political',
                                            'description': 'Shared boardroom complex used by '
                                                           'Luminari-aligned executives to coordinate policy '
                                                           'with the Crest.'},
                                           {'id': 'data_arbitrage_exchange',
                                            'name': 'Data Arbitrage Exchange',
                                            'type': 'commerce',
                                            'description': 'Encrypted marketplace where corporations trade '
                                                           'anonymized memory datasets and behavioral '
                                                           'predictions.'},
                                           {'id': 'security_overwatch',
                                            'name': 'Security Overwatch Hub',
                                            'type': 'security',
                                            'description': 'Central command for drone fleets and biometric '
                                                           'audit trails. Holds evidence of unlawful '
                                                           'surveillance.'}],
                      'narrativeHooks': [{'id': 'corporate_conspiracy',
                                          'summary': 'Exposes how Luminari Syndicate suppresses '
                                                     'whistleblowers and manipulates investigations.'},
                                         {'id': 'cipher_collaboration',
                                          'summary': 'Optional alliance with Cipher Collective yields '
                                                     'advanced investigative tech at the cost of trust.'},
                                         {'id': 'executive_heist',
                                          'summary': 'Multi-stage heist mission steals sealed minutes from '
                                                     'clandestine executive meetings about the Archive.'}],
                      'proceduralModifiers': {'encounterDensity': 'medium',
                                              'detectionRisk': 'high',
                                              'lootProfile': ['clearance_tokens',
                                                              'research_dossiers',
                                                              'executive_blackmail']},
                      'analytics': {'lockdownsTriggered': 0,
                                    'lastLockdownAt': None,
                                    'stabilityHistory': [],
                                    'controlHistory': []}},
 'archive_undercity': {'id': 'archive_undercity',
                       'name': 'Archive Undercity',
                       'shortName': 'Undercity',
                       'tier': 'undercroft',
                       'controllingFaction': {'base': 'memory_keepers',
                                              'current': 'memory_keepers',
                                              'previous': None,
                                              'lastChangedAt': None},
                       'influence': {'supportive': ['wraith_network'],
                                     'competing': ['vanguard_prime', 'luminari_syndicate']},
                       'stability': {'base': 47, 'current': 47, 'rating': 'unstable', 'lastChangedAt': None},
                       'security': {'level': 3,
                                    'description': 'Physical security relies on labyrinthine layout, dead '
                                                   'drops, and signal jammers. Defense drones are scarce, '
                                                   'but improvised traps deter intruders.',
                                    'surveillanceCoverage': 'Localized—manual spotters and short-range '
                                                            'scanners instead of persistent cameras'},
                       'access': {'defaultUnlocked': False,
                                  'fastTravelEnabled': False,
                                  'requirements': {'knowledge': ['knowledge_founders_massacre',
                                                                 'knowledge_curator_identity'],
                                                   'quests': ['case_005_resistance_contact_completed'],
                                                   'reputation': {'memory_keepers': {'minFame': 30},
                                                                  'wraith_network': {'minFame': 20}}},
                                  'restrictions': [{'id': 'archive_undercity_restriction_trust_gate_0',
                                                    'type': 'trust_gate',
                                                    'description': 'World state flag '
                                                                   '`undercity_trust_secured` must be true; '
                                                                   'otherwise entry triggers escort to '
                                                                   'holding cell.',
                                                    'active': False,
                                                    'lastChangedAt': None,
                                                    'metadata': {'type': 'trust_gate',
                                                                 'description': 'World state flag '
                                                                                '`undercity_trust_secured` '
                                                                                'must be true; otherwise '
                                                                                'entry triggers escort to '
                                                                                'holding cell.'}},
                                                   {'id': 'archive_undercity_restriction_environmental_1',
                                                    'type': 'environmental',
                                                    'description': 'Air quality requires scrubber mask '
                                                                   'consumable unless '
                                                                   '`ability_enviro_shield` is unlocked.',
                                                    'active': False,
                                                    'lastChangedAt': None,
                                                    'metadata': {'type': 'environmental',
                                                                 'description': 'Air quality requires '
                                                                                'scrubber mask consumable '
                                                                                'unless '
                                                                                '`ability_enviro_shield` is '
                                                                                'unlocked.'}}],
                                  'unlockedRoutes': [],
                                  'restrictionLog': []},
                       'infiltrationRoutes': [{'id': 'maintenance_shaft_sigma',
                                               'type': 'platforming',
                                               'description': 'Collapsed elevator shaft circumventing main '
                                                              'checkpoints; requires grapnel or aerial '
                                                              'traversal upgrade.',
                                               'unlocked': False,
                                               'defaultUnlocked': False,
                                               'unlockedAt': None,
                                               'metadata': {'id': 'maintenance_shaft_sigma',
                                                            'type': 'platforming',
                                                            'description': 'Collapsed elevator shaft '
                                                                           'circumventing main checkpoints; '
                                                                           'requires grapnel or aerial '
                                                                           'traversal upgrade.'}},
                                              {'id': 'sewer_current',
                                               'type': 'environmental',
                                               'description': 'Partially flooded sewer systems grant stealth '
                                                              'access but risk equipment corrosion and toxic '
                                                              'exposure.',
                                               'unlocked': False,
                                               'defaultUnlocked': False,
                                               'unlockedAt': None,
                                               'metadata': {'id': 'sewer_current',
                                                            'type': 'environmental',
                                                            'description': 'Partially flooded sewer systems '
                                                                           'grant stealth access but risk '
                                                                           'equipment corrosion and toxic '
                                                                           'exposure.'}}],
                       'environment': {'weather': ['condensation storms',
                                                   'heat vent bursts',
                                                   'electrical arcs'],
                                       'hazards': ['flooded tunnels',
                                                   'toxic mold blooms',
                                                   'unstable catwalks'],
                                       'traversal': ['rope bridges', 'service ducts', 'makeshift lifts']},
                       'pointsOfInterest': [{'id': 'grand_archive_stack',
                                             'name': 'Grand Archive Stack',
                                             'type': 'archive',
                                             'description': 'Primary data vault preserving forbidden '
                                                            'histories, memory backups, and evidence of the '
                                                            'Founders’ crimes.'},
                                            {'id': 'resistance_command',
                                             'name': 'Resistance Command Hub',
                                             'type': 'command',
                                             'description': 'Coordinating center for Wraith Network '
                                                            'operations. Houses encrypted comms and mission '
                                                            'planners.'},
                                            {'id': 'hollow_sanctuary',
                                             'name': 'Hollow Sanctuary',
                                             'type': 'aid',
                                             'description': 'Caretaker enclave providing refuge for hollow '
                                                            'victims rescued before extraction completion.'},
                                            {'id': 'ai_listening_post',
                                             'name': 'ECHO Listening Post',
                                             'type': 'research',
                                             'description': 'Unstable interface monitoring Abyss signals. '
                                                            'Provides narrative clues about the entity '
                                                            'guiding factions.'}],
                       'narrativeHooks': [{'id': 'forbidden_history',
                                           'summary': 'Uncovers primary evidence about the Founders’ purge '
                                                      'and the Unspoken Accord. Required for Act 3 reveals.'},
                                          {'id': 'resistance_alliance',
                                           'summary': 'Branching alliance path that determines support '
                                                      'strength during the Zenith Sector assault.'},
                                          {'id': 'abyss_signal',
                                           'summary': 'Sets up late-game mystery surrounding ECHO AI and the '
                                                      'Abyss. Offers optional risk-reward investigation.'}],
                       'proceduralModifiers': {'encounterDensity': 'variable',
                                               'detectionRisk': 'medium',
                                               'lootProfile': ['resistance_intel',
                                                               'ancient_data_cores',
                                                               'prototype_mods']},
                       'analytics': {'lockdownsTriggered': 0,
                                     'lastLockdownAt': None,
                                     'stabilityHistory': [],
                                     'controlHistory': []}},
 'zenith_sector': {'id': 'zenith_sector',
                   'name': 'Zenith Sector',
                   'shortName': 'Zenith',
                   'tier': 'crest',
                   'controllingFaction': {'base': 'vanguard_prime',
                                          'current': 'vanguard_prime',
                                          'previous': None,
                                          'lastChangedAt': None},
                   'influence': {'supportive': ['luminari_syndicate'],
                                 'competing': ['cipher_collective', 'memory_keepers']},
                   'stability': {'base': 82, 'current': 82, 'rating': 'locked', 'lastChangedAt': None},
                   'security': {'level': 5,
                                'description': 'Adaptive defense grid with kinetic barriers, predictive '
                                               'patrols, and biometric mesh verifying every inhabitant.',
                                'surveillanceCoverage': 'Total—quantum-locked archival feeds, drone swarms, '
                                                        'and telemetry-linked citizen IDs'},
                   'access': {'defaultUnlocked': False,
                              'fastTravelEnabled': False,
                              'requirements': {'storyFlags': ['act3_unlocked',
                                                              'conspiracy_manifest_compiled'],
                                               'knowledge': ['knowledge_curator_plan',
                                                             'knowledge_unspoken_accord'],
                                               'reputation': {'vanguard_prime': {'minFame': 40,
                                                                                 'maxInfamy': 10}},
                                               'abilities': ['ability_forge_access_codes'],
                                               'equipment': ['item_vanguard_disguise_plate']},
                              'restrictions': [{'id': 'zenith_sector_restriction_time_window_0',
                                                'type': 'time_window',
                                                'description': 'Entry only possible during scheduled civic '
                                                               'ceremonies unless stealth infiltration route '
                                                               'is unlocked.',
                                                'active': False,
                                                'lastChangedAt': None,
                                                'metadata': {'type': 'time_window',
                                                             'description': 'Entry only possible during '
                                                                            'scheduled civic ceremonies '
                                                                            'unless stealth infiltration '
                                                                            'route is unlocked.'}},
                                               {'id': 'zenith_sector_restriction_scan_gate_1',
                                                'type': 'scan_gate',
                                                'description': 'Quantum scan gates flag forged identities '
                                                               'unless the player completes the '
                                                               '`disrupt_scan_grid` mission.',
                                                'active': False,
                                                'lastChangedAt': None,
                                                'metadata': {'type': 'scan_gate',
                                                             'description': 'Quantum scan gates flag forged '
                                                                            'identities unless the player '
                                                                            'completes the '
                                                                            '`disrupt_scan_grid` mission.'}}],
                              'unlockedRoutes': [],
                              'restrictionLog': []},
                   'infiltrationRoutes': [{'id': 'storm_drain_orbit',
                                           'type': 'environmental',
                                           'description': 'Cyclone vents along the outer shield allow '
                                                          'insertion during electrical storms with precise '
                                                          'timing.',
                                           'unlocked': False,
                                           'defaultUnlocked': False,
                                           'unlockedAt': None,
                                           'metadata': {'id': 'storm_drain_orbit',
                                                        'type': 'environmental',
                                                        'description': 'Cyclone vents along the outer shield '
                                                                       'allow insertion during electrical '
                                                                       'storms with precise timing.'}},
                                          {'id': 'archives_monorail',
                                           'type': 'heist',
                                           'description': 'Hijack an archival monorail capsule using seized '
                                                          'curator credentials to bypass surface '
                                                          'checkpoints.',
                                           'unlocked': False,
                                           'defaultUnlocked': False,
                                           'unlockedAt': None,
                                           'metadata': {'id': 'archives_monorail',
                                                        'type': 'heist',
                                                        'description': 'Hijack an archival monorail capsule '
                                                                       'using seized curator credentials to '
                                                                       'bypass surface checkpoints.'}},
                                          {'id': 'executive_cover',
                                           'type': 'social',
                                           'description': 'Disguise as executive entourage after securing '
                                                          'forged summit invitation via corporate espionage.',
                                           'unlocked': False,
                                           'defaultUnlocked': False,
                                           'unlockedAt': None,
                                           'metadata': {'id': 'executive_cover',
                                                        'type': 'social',
                                                        'description': 'Disguise as executive entourage '
                                                                       'after securing forged summit '
                                                                       'invitation via corporate '
                                                                       'espionage.'}}],
                   'environment': {'weather': ['ion storms', 'controlled rainfall', 'shield auroras'],
                                   'hazards': ['plasma barricades',
                                               'security mechs',
                                               'sensor-saturated plazas'],
                                   'traversal': ['grav-lifts',
                                                 'ornamental skyways',
                                                 'government atrium labyrinths']},
                   'pointsOfInterest': [{'id': 'founders_forum',
                                         'name': 'Founders’ Forum',
                                         'type': 'political',
                                         'description': 'Grand amphitheatre where the Arcology leadership '
                                                        'stages carefully scripted assemblies.'},
                                        {'id': 'vanguard_command_spire',
                                         'name': 'Vanguard Command Spire',
                                         'type': 'military',
                                         'description': 'Command center directing sector security, drone '
                                                        'deployments, and emergency response protocols.'},
                                        {'id': 'curator_archive_vault',
                                         'name': "Curator's Archive Vault",
                                         'type': 'archive',
                                         'description': 'Sealed repository containing master control over '
                                                        'memory censorship protocols and the Archive '
                                                        'failsafe.'},
                                        {'id': 'summit_promenade',
                                         'name': 'Summit Promenade',
                                         'type': 'social',
                                         'description': 'Opulent walkway overlooking the Arcology. '
                                                        'High-profile NPC encounters and branching ending '
                                                        'triggers occur here.'}],
                   'narrativeHooks': [{'id': 'final_confrontation',
                                       'summary': 'Stage for confrontation with the Curator and decision '
                                                  'points that determine the game’s ending.'},
                                      {'id': 'vanguard_coup',
                                       'summary': 'Optional path reveals Vanguard Prime coup plans, allowing '
                                                  'player to sabotage or exploit them.'},
                                      {'id': 'public_broadcast',
                                       'summary': 'Infrastructure houses the citywide broadcast array needed '
                                                  'for the “Full Broadcast” ending.'}],
                   'proceduralModifiers': {'encounterDensity': 'scripted',
                                           'detectionRisk': 'very_high',
                                           'lootProfile': ['government_credentials',
                                                           'classified_evidence',
                                                           'curator_encryption_keys']},
                   'analytics': {'lockdownsTriggered': 0,
                                 'lastLockdownAt': None,
                                 'stabilityHistory': [],
                                 'controlHistory': []}}}

TUTORIAL_STEPS = [{'title': 'Welcome, Detective',
  'description': 'Welcome to Mnemosynē City, Detective Voss. Your former partner Marcus has been found '
                 'hollow. Use WASD to move and investigate the crime scene.',
  'stepId': 'welcome',
  'stepIndex': 0,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 100},
  'canSkip': True,
  'controlHint': None},
 {'title': 'Movement Controls',
  'description': 'Use WASD keys to move Kira around the crime scene. Try moving to the evidence markers.',
  'stepId': 'movement',
  'stepIndex': 1,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 100},
  'canSkip': True,
  'controlHint': {'label': 'Move',
                  'keys': ['W', '↑', 'A', '←', 'S', '↓', 'D', '→'],
                  'note': 'Use WASD to reach the gold evidence markers.'}},
 {'title': 'Evidence Detection',
  'description': "Evidence items glow when you're nearby. Move close to the glowing markers to detect "
                 'evidence.',
  'stepId': 'evidence_detection',
  'stepIndex': 2,
  'totalSteps': 13,
  'highlight': {'type': 'entity', 'entityTag': 'evidence'},
  'position': {'x': 400, 'y': 100},
  'canSkip': False,
  'controlHint': {'label': 'Approach Evidence',
                  'keys': ['W', '↑', 'A', '←', 'S', '↓', 'D', '→'],
                  'note': 'Step inside the glowing ring until the interact prompt appears.'}},
 {'title': 'Collect Evidence',
  'description': 'Press E when near evidence to collect it. Collect the Neural Extractor Device.',
  'stepId': 'evidence_collection',
  'stepIndex': 3,
  'totalSteps': 13,
  'highlight': {'type': 'entity', 'entityTag': 'evidence'},
  'position': {'x': 400, 'y': 100},
  'canSkip': False,
  'controlHint': {'label': 'Collect Evidence',
                  'keys': ['E'],
                  'note': 'Stand inside the glowing marker, then press the interact key.'}},
 {'title': 'Clues Revealed',
  'description': "Evidence reveals clues automatically. You've discovered your first clue! Clues help you "
                 'understand what happened.',
  'stepId': 'clue_derivation',
  'stepIndex': 4,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 150},
  'canSkip': False,
  'controlHint': None},
 {'title': 'Detective Vision',
  'description': 'Press V to activate Detective Vision. This reveals hidden evidence for 5 seconds. Use it '
                 'wisely - it has a cooldown.',
  'stepId': 'detective_vision',
  'stepIndex': 5,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 100},
  'canSkip': True,
  'controlHint': {'label': 'Detective Vision',
                  'keys': ['V'],
                  'note': 'Highlights hidden evidence for a short burst.'}},
 {'title': 'Case File',
  'description': 'Press Tab to open your Case File. This shows objectives, collected evidence, and '
                 'discovered clues. Review your progress.',
  'stepId': 'case_file',
  'stepIndex': 6,
  'totalSteps': 13,
  'highlight': {'type': 'ui', 'uiElement': 'case_file_button'},
  'position': {'x': 400, 'y': 100},
  'canSkip': True,
  'controlHint': {'label': 'Case File',
                  'keys': ['Tab'],
                  'note': 'Review objectives, evidence and clues at any time.'}},
 {'title': 'Collect All Evidence',
  'description': 'Continue investigating the scene. Collect at least 3 pieces of evidence to proceed.',
  'stepId': 'collect_more_evidence',
  'stepIndex': 7,
  'totalSteps': 13,
  'highlight': {'type': 'entity', 'entityTag': 'evidence'},
  'position': {'x': 400, 'y': 100},
  'canSkip': False,
  'controlHint': {'label': 'Collect Evidence',
                  'keys': ['E'],
                  'note': 'Sweep every glowing marker and press the interact key.'}},
 {'title': 'Forensic Analysis',
  'description': 'Some evidence requires forensic analysis to reveal hidden clues. Press F when prompted to '
                 'analyze evidence.',
  'stepId': 'forensic_analysis',
  'stepIndex': 8,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 100},
  'canSkip': True,
  'controlHint': {'label': 'Forensic Analysis',
                  'keys': ['F'],
                  'note': 'Hold onto the prompt after collecting specialized evidence.'}},
 {'title': 'Deduction Board',
  'description': 'Press B to open the Deduction Board. This is where you connect clues to solve the case. '
                 'Drag clues to create connections.',
  'stepId': 'deduction_board_intro',
  'stepIndex': 9,
  'totalSteps': 13,
  'highlight': {'type': 'ui', 'uiElement': 'deduction_board_button'},
  'position': {'x': 400, 'y': 100},
  'canSkip': False,
  'controlHint': {'label': 'Deduction Board',
                  'keys': ['B'],
                  'note': 'Review collected clues and plan your theory.'}},
 {'title': 'Connect the Clues',
  'description': 'Click and drag from one clue to another to create a connection. Connect clues that support '
                 'each other to build your theory.',
  'stepId': 'deduction_connections',
  'stepIndex': 10,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 500},
  'canSkip': False,
  'controlHint': {'label': 'Link Clues',
                  'keys': ['Mouse drag'],
                  'note': 'Click a clue and drag to another that supports it.'}},
 {'title': 'Validate Your Theory',
  'description': 'Once you\'ve connected the clues, click "Validate Theory" to test your deduction. You need '
                 '70% accuracy to solve the case.',
  'stepId': 'deduction_validation',
  'stepIndex': 11,
  'totalSteps': 13,
  'highlight': {'type': 'ui', 'uiElement': 'validate_button'},
  'position': {'x': 400, 'y': 500},
  'canSkip': False,
  'controlHint': {'label': 'Validate Theory',
                  'keys': ['Mouse click'],
                  'note': 'Use the Validate button after linking the correct clues.'}},
 {'title': 'Case Solved!',
  'description': "Excellent work, Detective. You've solved your first case. The evidence points to a "
                 'professional operation targeting investigators. This is just the beginning...',
  'stepId': 'case_solved',
  'stepIndex': 12,
  'totalSteps': 13,
  'highlight': {'type': 'none'},
  'position': {'x': 400, 'y': 200},
  'canSkip': False,
  'controlHint': None}]

CASE_001_EVIDENCE = [{'id': 'ev_001_extractor',
  'name': 'Neural Extractor Device',
  'description': 'A military-grade neural extractor left on the chair where Marcus was found. Purpose-built '
                 'hardware, not scavenged tech.',
  'type': 'Evidence:forensic',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence',
           'source:investigation',
           'case:case_001_hollow_case',
           'category:physical',
           'type:forensic'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'forensic',
               'category': 'physical',
               'derivedClues': ['clue_001_hollow', 'clue_002_professional'],
               'source': 'investigation',
               'entityId': 1001},
  'lastSeenAt': 1762106475000},
 {'id': 'ev_002_blood',
  'name': 'Blood Spatter Pattern',
  'description': 'Spatter streaks across the wall show Marcus fought back before being restrained. The '
                 'precise arcs hint at practiced force.',
  'type': 'Evidence:forensic',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence',
           'source:investigation',
           'case:case_001_hollow_case',
           'category:physical',
           'type:forensic'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'forensic',
               'category': 'physical',
               'derivedClues': ['clue_002_professional', 'clue_006_pattern'],
               'source': 'investigation',
               'entityId': 1002},
  'lastSeenAt': 1762106532000},
 {'id': 'ev_003_residue',
  'name': 'Neural Residue',
  'description': 'A luminous neural signature embedded in the upholstery. Identical to residues from other '
                 'documented hollow victims.',
  'type': 'Evidence:forensic',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence',
           'source:investigation',
           'case:case_001_hollow_case',
           'category:neural',
           'type:forensic'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'forensic',
               'category': 'neural',
               'derivedClues': ['clue_001_hollow'],
               'source': 'investigation',
               'entityId': 1003},
  'lastSeenAt': 1762106577000},
 {'id': 'ev_004_badge',
  'name': "Marcus's MCD Badge",
  'description': 'Marcus’s old Memory Crimes Division credentials. Expired but tucked beside the terminal—he '
                 'was still chasing official leads.',
  'type': 'Evidence:document',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence',
           'source:investigation',
           'case:case_001_hollow_case',
           'category:identification',
           'type:document'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'document',
               'category': 'identification',
               'derivedClues': ['clue_004_personal'],
               'source': 'investigation',
               'entityId': 1004},
  'lastSeenAt': 1762106784700},
 {'id': 'ev_005_memory_drive',
  'name': 'Encrypted Memory Fragment',
  'description': 'A pocket drive pulsing with encrypted fragments from Marcus’s investigation. The contents '
                 'reference NeuroSync coordinates.',
  'type': 'Evidence:digital',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence', 'source:investigation', 'case:case_001_hollow_case', 'category:data', 'type:digital'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'digital',
               'category': 'data',
               'derivedClues': ['clue_003_neurosync', 'clue_004_personal'],
               'source': 'investigation',
               'entityId': 1005},
  'lastSeenAt': 1762106829700},
 {'id': 'ev_006_anonymous_tip',
  'name': 'Anonymous Tip Packet',
  'description': 'A cached message on Kira’s terminal. Sent from a public node, scrubbed of origin metadata, '
                 'and stamped with NeuroSync coordinates.',
  'type': 'Evidence:digital',
  'rarity': 'evidence',
  'quantity': 1,
  'tags': ['evidence',
           'source:investigation',
           'case:case_001_hollow_case',
           'category:communication',
           'type:digital'],
  'metadata': {'caseId': 'case_001_hollow_case',
               'evidenceType': 'digital',
               'category': 'communication',
               'derivedClues': ['clue_003_neurosync', 'clue_005_tip_untraceable'],
               'source': 'investigation',
               'entityId': 1006},
  'lastSeenAt': 1762106874700}]

CASE_001_OBJECTIVES = [{'id': 'examine_scene', 'type': 'collect_evidence', 'completed': False},
 {'id': 'identify_victim', 'type': 'collect_evidence', 'completed': False},
 {'id': 'analyze_memory', 'type': 'collect_evidence', 'completed': False},
 {'id': 'discover_clues', 'type': 'discover_clue', 'completed': False},
 {'id': 'solve_case', 'type': 'validate_theory', 'completed': False}]
